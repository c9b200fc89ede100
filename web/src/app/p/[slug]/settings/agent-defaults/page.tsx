import { AgentDefaultsForm } from "@/features/settings/agent-defaults-form.tsx";

/** Settings → Agent defaults: the model settings every agent inherits. */
export default function AgentDefaultsSettingsPage() {
  return <AgentDefaultsForm />;
}
