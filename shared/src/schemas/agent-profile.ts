import { z } from "zod";
import { ZAgentKey } from "./action-proposal.ts";
import { AGENT_PROVIDERS, AGENT_TOOLS, AGENT_VERBOSITIES, READ_ONLY_TOOLS, RISK_LEVELS } from "./column-enums.ts";

/** A capability tag such as `sql`, `react` or `research` (used to route work to the agent that fits). */
export const ZCapability = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_.+-]{0,31}$/, "a capability tag: lower-case letters, digits, _ . + or -, at most 32 characters");

/**
 * The model settings a layer (project defaults, agent profile, a run's override) may set. Null
 * means "not set here: inherit". Ranges match the SQL checks on `agents`.
 */
const modelSettingFields = {
  provider: z.enum(AGENT_PROVIDERS).nullable(),
  /** Required when provider is `connection`; null otherwise. */
  provider_connection_id: z.guid({ error: "must be a provider connection id" }).nullable(),
  model: z.string().trim().min(1, "must not be empty (leave it unset to inherit)").max(200).nullable(),
  temperature: z.number().min(0, "must be between 0 and 2").max(2, "must be between 0 and 2").nullable(),
  max_context_tokens: z.int().min(512, "must be at least 512").max(2_000_000, "must be at most 2,000,000").nullable(),
  max_output_tokens: z.int().min(16, "must be at least 16").max(200_000, "must be at most 200,000").nullable(),
  verbosity: z.enum(AGENT_VERBOSITIES).nullable(),
};

function connectionMatchesProvider(value: { provider?: string | null; provider_connection_id?: string | null }, ctx: z.RefinementCtx) {
  if (value.provider === undefined && value.provider_connection_id === undefined) return;
  const wantsConnection = value.provider === "connection";
  const hasConnection = value.provider_connection_id !== null && value.provider_connection_id !== undefined;
  if (wantsConnection && !hasConnection) {
    ctx.addIssue({ code: "custom", path: ["provider_connection_id"], message: "pick a provider connection (Settings → Providers)" });
  }
  if (!wantsConnection && hasConnection) {
    ctx.addIssue({ code: "custom", path: ["provider_connection_id"], message: "must be empty unless the provider is a connection" });
  }
}

/** Model settings of one layer, every field optional (an absent field is "not set"). */
export const ZModelSettingsLayer = z.object(modelSettingFields).partial().superRefine(connectionMatchesProvider);
/** Model settings of one layer. */
export type TModelSettingsLayer = z.infer<typeof ZModelSettingsLayer>;

/** The project's defaults for every agent (project_settings key `agent_defaults`). */
export const ZAgentDefaults = ZModelSettingsLayer;
/** The project's defaults for every agent. */
export type TAgentDefaults = TModelSettingsLayer;

/**
 * Every field of an agent's profile, validated the same way in the dashboard's editor, by the
 * executor when it applies a provisioning request, and (ranges, enums) by the SQL checks.
 */
export const ZAgentProfile = z
  .object({
    agent_key: ZAgentKey,
    display_name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
    role: z.string().trim().max(200, "must be at most 200 characters").default(""),
    enabled: z.boolean().default(true),
    system_prompt: z.string().max(20_000, "must be at most 20,000 characters").default(""),
    // Reading the workspace and the board is harmless: a new agent may do it unless an operator says otherwise.
    tools_enabled: z
      .array(z.enum(AGENT_TOOLS))
      .default([...READ_ONLY_TOOLS])
      .transform((tools) => [...new Set(tools)]),
    risk_tolerance: z.enum(RISK_LEVELS).default("low"),
    capabilities: z
      .array(ZCapability)
      .max(20, "at most 20 capabilities")
      .default([])
      .transform((tags) => [...new Set(tags)]),
    provider: modelSettingFields.provider.default(null),
    provider_connection_id: modelSettingFields.provider_connection_id.default(null),
    model: modelSettingFields.model.default(null),
    temperature: modelSettingFields.temperature.default(null),
    max_context_tokens: modelSettingFields.max_context_tokens.default(null),
    max_output_tokens: modelSettingFields.max_output_tokens.default(null),
    verbosity: modelSettingFields.verbosity.default(null),
  })
  .superRefine((value, ctx) => {
    connectionMatchesProvider(value, ctx);
    if (value.max_output_tokens !== null && value.max_context_tokens !== null && value.max_output_tokens >= value.max_context_tokens) {
      ctx.addIssue({ code: "custom", path: ["max_output_tokens"], message: "must be smaller than the max context tokens" });
    }
  });
/** An agent's profile as written by the editor (defaults optional). */
export type TAgentProfileInput = z.input<typeof ZAgentProfile>;
/** An agent's profile, validated, defaults applied. */
export type TAgentProfile = z.output<typeof ZAgentProfile>;

/** The effective model settings an agent runs with (every field resolved). */
export type TEffectiveSettings = {
  provider: (typeof AGENT_PROVIDERS)[number];
  provider_connection_id: string | null;
  model: string;
  temperature: number;
  max_context_tokens: number;
  max_output_tokens: number;
  verbosity: (typeof AGENT_VERBOSITIES)[number];
};

/** Where an effective value came from, in resolution order. */
const SETTING_SOURCES = ["built_in", "project", "agent", "run"] as const;
/** One of SETTING_SOURCES. */
export type TSettingSource = (typeof SETTING_SOURCES)[number];

/** The model used when nothing sets one: the built-in offline model. */
export const BUILTIN_MODEL_NAME = "builtin-offline";

/** The values used when no layer sets a field: the built-in offline model. */
export const BUILT_IN_SETTINGS: TEffectiveSettings = {
  provider: "builtin",
  provider_connection_id: null,
  model: BUILTIN_MODEL_NAME,
  temperature: 0.2,
  max_context_tokens: 8000,
  max_output_tokens: 1024,
  verbosity: "normal",
};

/** The effective settings and, per field, the layer that supplied it. */
export type TResolvedSettings = { values: TEffectiveSettings; sources: Record<keyof TEffectiveSettings, TSettingSource> };

/**
 * The one resolution order, used by the executor to run an agent and by the dashboard to show it:
 * built-in → project defaults → agent profile → the run's override; a later layer wins for each
 * field it sets (null or absent: not set). `provider` and `provider_connection_id` travel together:
 * the layer that sets the provider also sets the connection. When the effective provider is
 * `builtin` and no layer set a model, the model is the built-in one. Layers are taken as already
 * validated (ZModelSettingsLayer / ZAgentProfile); `max_output_tokens` is lowered below
 * `max_context_tokens` when a mix of layers would otherwise leave no room for the prompt.
 */
export function resolveAgentSettings(layers: {
  project?: TModelSettingsLayer | null;
  agent?: TModelSettingsLayer | null;
  run?: TModelSettingsLayer | null;
}): TResolvedSettings {
  const values: TEffectiveSettings = { ...BUILT_IN_SETTINGS };
  const sources = Object.fromEntries(Object.keys(BUILT_IN_SETTINGS).map((key) => [key, "built_in"])) as TResolvedSettings["sources"];
  const order = [
    ["project", layers.project],
    ["agent", layers.agent],
    ["run", layers.run],
  ] as const;
  for (const [source, layer] of order) {
    if (!layer) continue;
    for (const key of Object.keys(BUILT_IN_SETTINGS) as (keyof TEffectiveSettings)[]) {
      if (key === "provider_connection_id") continue;
      const value = layer[key];
      if (value === null || value === undefined) continue;
      (values as Record<string, unknown>)[key] = value;
      sources[key] = source;
      if (key === "provider") {
        values.provider_connection_id = value === "connection" ? (layer.provider_connection_id ?? null) : null;
        sources.provider_connection_id = source;
      }
    }
  }
  if (values.provider === "builtin" && sources.model === "built_in") values.model = BUILTIN_MODEL_NAME;
  if (values.max_output_tokens >= values.max_context_tokens) {
    values.max_output_tokens = Math.max(16, Math.floor(values.max_context_tokens / 4));
  }
  return { values, sources };
}
