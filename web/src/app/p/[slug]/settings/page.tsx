import { SettingsView } from "@/features/settings/settings-view.tsx";

/** Settings → General: labs features and the Team Room posting limit. */
export default function SettingsPage() {
  return <SettingsView />;
}
