import { AGENT_PROVIDERS, type TAgentDefaults, type TAgentProvider, ZAgentDefaults } from "@mission-control/shared/schemas";
import { readFieldIssues, type TFieldIssues } from "../providers/read-field-issues.ts";

/** The Agent defaults form as typed: "" means "not set" (the built-in value applies). */
export interface TAgentDefaultsDraft {
  /** "", a provider, or `connection:<id>` (one select picks provider and connection together). */
  provider: string;
  model: string;
  temperature: string;
  max_context_tokens: string;
  max_output_tokens: string;
  /** "" or a verbosity. */
  verbosity: string;
}

const CONNECTION_PREFIX = "connection:";

/** The provider select's value for a provider (and its connection). */
export function providerChoiceOf(provider: TAgentProvider | null | undefined, connectionId: string | null | undefined): string {
  if (!provider) return "";
  return provider === "connection" ? `${CONNECTION_PREFIX}${connectionId ?? ""}` : provider;
}

/** The form's draft of stored defaults. */
export function draftFromDefaults(defaults: TAgentDefaults): TAgentDefaultsDraft {
  const text = (value: number | string | null | undefined) => (value === null || value === undefined ? "" : String(value));
  return {
    provider: providerChoiceOf(defaults.provider, defaults.provider_connection_id),
    model: text(defaults.model),
    temperature: text(defaults.temperature),
    max_context_tokens: text(defaults.max_context_tokens),
    max_output_tokens: text(defaults.max_output_tokens),
    verbosity: text(defaults.verbosity),
  };
}

/** A draft checked with the shared `ZAgentDefaults`: the value to store (set fields only), or the problems per field. */
export type TAgentDefaultsResult = { ok: true; value: TAgentDefaults } | { ok: false; issues: TFieldIssues };

/**
 * Validates the form with `ZAgentDefaults` (the schema the executor reads the setting with) and
 * returns only the fields that are set, so an empty field keeps meaning "inherit the built-in
 * value". Problems with the connection show on the provider field, which picks it.
 */
export function parseAgentDefaultsDraft(draft: TAgentDefaultsDraft): TAgentDefaultsResult {
  const issues: Record<string, string> = {};
  const number = (field: keyof TAgentDefaultsDraft, whole: boolean): number | null => {
    const text = draft[field].trim();
    if (text === "") return null;
    if (whole ? !/^\d+$/.test(text) : !/^\d*\.?\d+$/.test(text)) {
      issues[field] = whole ? "must be a whole number" : "must be a number";
      return null;
    }
    return Number(text);
  };
  let provider: TAgentProvider | null = null;
  let connectionId: string | null = null;
  if (draft.provider.startsWith(CONNECTION_PREFIX)) {
    provider = "connection";
    connectionId = draft.provider.slice(CONNECTION_PREFIX.length) || null;
  } else if (draft.provider !== "") {
    provider = (AGENT_PROVIDERS as readonly string[]).includes(draft.provider) ? (draft.provider as TAgentProvider) : null;
  }
  const candidate = {
    provider,
    provider_connection_id: connectionId,
    model: draft.model.trim() === "" ? null : draft.model.trim(),
    temperature: number("temperature", false),
    max_context_tokens: number("max_context_tokens", true),
    max_output_tokens: number("max_output_tokens", true),
    verbosity: draft.verbosity === "" ? null : draft.verbosity,
  };
  const parsed = ZAgentDefaults.safeParse(candidate);
  const found = parsed.success ? {} : readFieldIssues(parsed.error, { provider_connection_id: "provider" });
  for (const [field, message] of Object.entries(found)) issues[field] ??= message;
  const { max_context_tokens: context, max_output_tokens: output } = candidate;
  if (!issues.max_output_tokens && context !== null && output !== null && output >= context) {
    issues.max_output_tokens = "must be smaller than the max context tokens";
  }
  if (!parsed.success || Object.keys(issues).length > 0) return { ok: false, issues };
  const value = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== null && v !== undefined)) as TAgentDefaults;
  return { ok: true, value };
}
