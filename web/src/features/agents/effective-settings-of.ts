import type { TAgent } from "@mission-control/shared/rows";
import { resolveAgentSettings, type TAgentDefaults, type TResolvedSettings } from "@mission-control/shared/schemas";

/** An agent's effective model settings: the project defaults, then its own profile (no per-run override). */
export function effectiveSettingsOf(agent: TAgent, defaults: TAgentDefaults | null): TResolvedSettings {
  return resolveAgentSettings({
    project: defaults,
    agent: {
      provider: agent.provider,
      provider_connection_id: agent.provider_connection_id,
      model: agent.model,
      temperature: agent.temperature,
      max_context_tokens: agent.max_context_tokens,
      max_output_tokens: agent.max_output_tokens,
      verbosity: agent.verbosity,
    },
  });
}
