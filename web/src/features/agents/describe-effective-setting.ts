import type { TAgentProvider, TEffectiveSettings, TResolvedSettings, TSettingSource } from "@mission-control/shared/schemas";

/** The provider choices in words, as the editor's select shows them. */
export const PROVIDER_LABELS: Record<TAgentProvider, string> = {
  builtin: "Built-in offline",
  openai_compatible: "Environment OpenAI-compatible",
  anthropic: "Environment Anthropic",
  connection: "Project connection",
};

/** Where an effective value came from, in words. */
export const SOURCE_LABELS: Record<TSettingSource, string> = {
  built_in: "built-in default",
  project: "from project defaults",
  agent: "set on this agent",
  run: "per-run override",
};

/** What the editor needs to know about a provider connection to name it. */
export interface TConnectionName {
  id: string;
  name: string;
  default_model: string | null;
  /** A CLI connection with no model runs as its name. */
  kind?: string;
}

/** A model setting the editor shows an effective value for. */
export type TShownSetting = Exclude<keyof TEffectiveSettings, "provider_connection_id">;

/** An effective value and its origin, in words: "gpt-4o-mini" · "from project defaults". */
export interface TEffectiveText {
  value: string;
  source: string;
}

/**
 * One effective setting in words, for the line beside its field ("gpt-4o-mini · from project
 * defaults"). A connection is named; a model nobody set on a connection is the connection's
 * default model when it has one, as the executor runs it (executor/src/config/resolve-model-config.ts),
 * and without any the executor answers with the built-in offline model, which this says.
 */
export function describeEffectiveSetting(
  resolved: TResolvedSettings,
  field: TShownSetting,
  connections: readonly TConnectionName[],
): TEffectiveText {
  const { values, sources } = resolved;
  const connection = values.provider === "connection" ? connections.find((c) => c.id === values.provider_connection_id) : undefined;
  const source = SOURCE_LABELS[sources[field]];
  switch (field) {
    case "provider":
      if (values.provider !== "connection") return { value: PROVIDER_LABELS[values.provider], source };
      return { value: connection ? connection.name : "a connection that no longer exists", source };
    case "model": {
      if (sources.model !== "built_in" || values.provider === "builtin") return { value: values.model, source };
      // Nobody set a model for a real provider: the connection's default, else the executor answers offline.
      if (connection?.default_model) return { value: connection.default_model, source: "the connection's default model" };
      if (connection?.kind === "cli") return { value: connection.name, source: "the CLI connection's name" };
      return { value: values.model, source: "no model set, so the offline model answers: set one" };
    }
    case "temperature":
      return { value: String(values.temperature), source };
    case "max_context_tokens":
    case "max_output_tokens":
      return { value: values[field].toLocaleString("en-US"), source };
    case "verbosity":
      return { value: values.verbosity, source };
  }
}
