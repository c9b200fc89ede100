import type { Metadata } from "next";
import { ProvidersView } from "@/features/providers/providers-view.tsx";

export const metadata: Metadata = { title: "Providers · Settings" };

/** Settings → Providers: the project's provider connections and their keys. */
export default function ProvidersSettingsPage() {
  return <ProvidersView />;
}
