import type { TAgent } from "@mission-control/shared/rows";
import type { TAgentProfile } from "@mission-control/shared/schemas";

/** The profile fields an update may carry. */
const PROFILE_FIELDS = [
  "agent_key",
  "display_name",
  "role",
  "enabled",
  "system_prompt",
  "tools_enabled",
  "risk_tolerance",
  "capabilities",
  "provider",
  "provider_connection_id",
  "model",
  "temperature",
  "max_context_tokens",
  "max_output_tokens",
  "verbosity",
] as const satisfies readonly (keyof TAgentProfile & keyof TAgent)[];

/** Tools are a set (order means nothing); every other field compares by value. */
function sameValue(field: (typeof PROFILE_FIELDS)[number], before: unknown, after: unknown): boolean {
  if (field === "tools_enabled" && Array.isArray(before) && Array.isArray(after)) {
    return before.length === after.length && after.every((tool) => before.includes(tool));
  }
  return JSON.stringify(before ?? null) === JSON.stringify(after ?? null);
}

/**
 * The fields of `profile` that differ from the agent's row: an update request carries only these,
 * so two operators editing different fields of one agent do not undo each other's change. With
 * `editedFields`, only those fields count (the editor passes the fields the operator touched, so a
 * change made elsewhere meanwhile, such as Disable, is not sent back). The provider and its
 * connection always travel together (the database checks them as a pair).
 */
export function diffAgentProfile(agent: TAgent, profile: TAgentProfile, editedFields?: readonly string[]): Partial<TAgentProfile> {
  const edited = editedFields ? new Set(editedFields) : null;
  if (edited?.has("provider")) edited.add("provider_connection_id");
  const patch: Record<string, unknown> = {};
  for (const field of PROFILE_FIELDS) {
    if (edited && !edited.has(field)) continue;
    if (!sameValue(field, agent[field], profile[field])) patch[field] = profile[field];
  }
  if ("provider" in patch || "provider_connection_id" in patch) {
    patch.provider = profile.provider;
    patch.provider_connection_id = profile.provider_connection_id;
  }
  return patch as Partial<TAgentProfile>;
}
