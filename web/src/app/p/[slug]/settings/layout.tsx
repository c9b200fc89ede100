import type { ReactNode } from "react";
import { SettingsFrame } from "@/features/settings/settings-frame.tsx";

/** Every settings page: the title and the tabs General / Providers / Agent defaults / Runs. */
export default async function SettingsLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <SettingsFrame slug={slug}>{children}</SettingsFrame>;
}
