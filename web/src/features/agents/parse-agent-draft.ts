import { type TAgentProfile, type TModelSettingsLayer, ZAgentProfile } from "@mission-control/shared/schemas";
import { decodeProviderChoice, type TAgentDraft, type TDraftField } from "./agent-draft.ts";

/** A problem with one field, in words to show beside it. */
export type TDraftIssues = Partial<Record<TDraftField, string>>;

/** A draft is either a valid profile or a list of per-field problems. */
export type TParsedDraft = { ok: true; profile: TAgentProfile } | { ok: false; issues: TDraftIssues };

const NUMERIC_FIELDS = ["temperature", "max_context_tokens", "max_output_tokens"] as const;

/** Empty means "inherit" (null); anything else must read as a number. */
function readNumber(value: string): number | null | "invalid" {
  const trimmed = value.trim();
  if (trimmed === "") return null;
  // "8000", "8 000", "8_000" and "8,000" read alike; "0,5" is not a number here (no decimal comma).
  const plain = /^\d{1,3}(,\d{3})+$/.test(trimmed) ? trimmed.replaceAll(",", "") : trimmed.replace(/[_\s]/g, "");
  const number = plain === "" ? Number.NaN : Number(plain);
  return Number.isFinite(number) ? number : "invalid";
}

/** Maps a zod issue path to the editor field that shows it (the connection id lives in the provider select). */
function fieldOf(path: readonly PropertyKey[]): TDraftField {
  const head = String(path[0] ?? "agent_key");
  if (head === "provider_connection_id") return "provider";
  return head as TDraftField;
}

/**
 * Validates the editor's form with the shared ZAgentProfile (the schema the executor applies
 * too), so the dashboard refuses exactly what the executor would, each problem beside its field.
 */
export function parseAgentDraft(draft: TAgentDraft): TParsedDraft {
  const issues: TDraftIssues = {};
  const numbers: Partial<Record<(typeof NUMERIC_FIELDS)[number], number | null>> = {};
  for (const field of NUMERIC_FIELDS) {
    const value = readNumber(draft[field]);
    if (value === "invalid") issues[field] = "must be a number (leave it empty to inherit)";
    else numbers[field] = value;
  }
  const parsed = ZAgentProfile.safeParse({
    agent_key: draft.agent_key.trim(),
    display_name: draft.display_name,
    role: draft.role,
    enabled: draft.enabled,
    system_prompt: draft.system_prompt,
    tools_enabled: draft.tools_enabled,
    risk_tolerance: draft.risk_tolerance,
    capabilities: draft.capabilities,
    ...decodeProviderChoice(draft.provider),
    model: draft.model.trim() === "" ? null : draft.model,
    temperature: numbers.temperature ?? null,
    max_context_tokens: numbers.max_context_tokens ?? null,
    max_output_tokens: numbers.max_output_tokens ?? null,
    verbosity: draft.verbosity === "" ? null : draft.verbosity,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path);
      // A number the draft could not read already has its own message.
      if (issues[field] === undefined) issues[field] = issue.message;
    }
  }
  if (Object.keys(issues).length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, profile: parsed.data };
}

/**
 * The draft's model settings as a layer for resolveAgentSettings, read leniently (a field that
 * does not parse counts as not set), so the editor shows effective values while the operator types.
 */
export function draftSettingsLayer(draft: TAgentDraft): TModelSettingsLayer {
  const number = (value: string) => {
    const read = readNumber(value);
    return read === "invalid" ? null : read;
  };
  const choice = decodeProviderChoice(draft.provider);
  return {
    provider: choice.provider === "connection" && !choice.provider_connection_id ? null : choice.provider,
    provider_connection_id: choice.provider_connection_id,
    model: draft.model.trim() || null,
    temperature: number(draft.temperature),
    max_context_tokens: number(draft.max_context_tokens),
    max_output_tokens: number(draft.max_output_tokens),
    verbosity: draft.verbosity === "" ? null : draft.verbosity,
  };
}
