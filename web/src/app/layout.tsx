import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { readWebEnv } from "@/env.ts";
import { ClientConfigProvider } from "@/features/config/client-config-provider.tsx";
import { LiveStoreProvider } from "@/features/live/live-store-provider.tsx";
import { themeBootScript } from "@/features/theme/theme-preference.ts";
import "./globals.css";

export const metadata: Metadata = {
  // Pages set their own title ("Sign in", "Tasks" …); the project layout adds the project.
  title: { template: "%s · Mission Control", default: "Mission Control" },
  description: "The control room for a team of AI agents.",
};

/**
 * Root layout (server). Reads the public configuration at request time, so one build serves
 * any stack, and hands it to client components with the tab's live store. The service role key
 * is never read here. The first thing in <head> is the theme script: <html data-theme> is set from
 * the operator's choice before anything paints (React leaves it alone: suppressHydrationWarning).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const env = readWebEnv();
  const config = { supabaseUrl: env.SUPABASE_URL, supabaseAnonKey: env.SUPABASE_ANON_KEY, controlApiUrl: env.CONTROL_API_URL };
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Our own constant script (no user data in it): sets the theme before the first paint. */}
        <script dangerouslySetInnerHTML={{ __html: themeBootScript() }} />
      </head>
      <body>
        <ClientConfigProvider config={config}>
          <LiveStoreProvider>{children}</LiveStoreProvider>
        </ClientConfigProvider>
      </body>
    </html>
  );
}
