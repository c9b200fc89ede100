import type { Metadata } from "next";
import { AgentDefaultsForm } from "@/features/settings/agent-defaults-form.tsx";

export const metadata: Metadata = { title: "Agent defaults · Settings" };

/** Settings → Agent defaults: the model settings every agent inherits. */
export default function AgentDefaultsSettingsPage() {
  return <AgentDefaultsForm />;
}
