import type { Metadata } from "next";
import { RunSettingsForm } from "@/features/settings/run-settings-form.tsx";

export const metadata: Metadata = { title: "Runs · Settings" };

/** Settings → Runs: the test command and the limits of the project's runs. */
export default function RunSettingsPage() {
  return <RunSettingsForm />;
}
