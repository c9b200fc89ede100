import type { Metadata } from "next";
import { SettingsView } from "@/features/settings/settings-view.tsx";

export const metadata: Metadata = { title: "Settings" };

/** Settings → General: labs features and the Team Room posting limit. */
export default function SettingsPage() {
  return <SettingsView />;
}
