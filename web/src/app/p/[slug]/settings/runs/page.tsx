import { RunSettingsForm } from "@/features/settings/run-settings-form.tsx";

/** Settings → Runs: the test command and the limits of the project's runs. */
export default function RunSettingsPage() {
  return <RunSettingsForm />;
}
