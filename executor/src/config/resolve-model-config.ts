import { AppError } from "@mission-control/shared/errors";
import { AGENT_VERBOSITIES } from "@mission-control/shared/schemas";
import { z } from "zod";
import { BUILTIN_MODEL } from "../providers/complete-builtin.ts";
import { type TProviderConfig, ZProviderConfig } from "../providers/provider-types.ts";

/** Every model setting an agent runs with. Ranges match the `agents` table's checks. */
export const ZModelSettings = z.object({
  /** A key of the configured providers ("openai_compatible", "anthropic", "my-ollama"…) or "builtin". */
  provider: z.string().min(1),
  model: z.string().min(1).max(200),
  temperature: z.number().min(0).max(2),
  maxContextTokens: z.int().min(512).max(2_000_000),
  maxOutputTokens: z.int().min(16).max(200_000),
  systemPrompt: z.string().max(20_000),
  verbosity: z.enum(AGENT_VERBOSITIES),
});
/** Every model setting an agent runs with. */
export type TModelSettings = z.infer<typeof ZModelSettings>;

/** One layer of settings (global defaults, agent profile or per-request override): any subset; null means "not set". */
export const ZModelSettingsPatch = z.object(
  Object.fromEntries(Object.entries(ZModelSettings.shape).map(([key, schema]) => [key, schema.nullish()])) as {
    [K in keyof TModelSettings]: z.ZodOptional<z.ZodNullable<(typeof ZModelSettings.shape)[K]>>;
  },
);
/** One layer of settings. */
export type TModelSettingsPatch = z.input<typeof ZModelSettingsPatch>;

/** The settings used when no layer sets a field: the database defaults, on the built-in model. */
export const BASE_MODEL_SETTINGS: TModelSettings = {
  provider: "builtin",
  model: BUILTIN_MODEL,
  temperature: 0.2,
  maxContextTokens: 8000,
  maxOutputTokens: 1024,
  systemPrompt: "",
  verbosity: "normal",
};

type TLayerName = "base" | "defaults" | "profile" | "override";

/** The effective settings of one run, with the provider to call and where each value came from. */
export type TResolvedModelConfig = TModelSettings & {
  /** The provider that will be called (the built-in one when falling back). */
  providerConfig: TProviderConfig;
  /** True when the built-in offline model will answer. */
  offline: boolean;
  /** Why the requested provider is not used, in words for the operator; null when it is. */
  fallbackReason: string | null;
  /** Which layer supplied each field. */
  sources: Record<keyof TModelSettings, TLayerName>;
};

/**
 * Resolves an agent's effective model settings: base → global `defaults` → agent `profile` →
 * per-request `override`, each layer validated (an invalid one throws `config_invalid` naming the
 * layer and field). Rule: a provider that is not configured, or has no API key (and is not marked
 * `keyless`), resolves to the built-in offline model, so the product runs with no key and no network.
 * Provider configs are looked up by the `provider` setting; "builtin" needs none.
 */
export function resolveModelConfig(input: {
  providers?: Record<string, unknown>;
  defaults?: unknown;
  profile?: unknown;
  override?: unknown;
}): TResolvedModelConfig {
  const merged: Record<string, unknown> = { ...BASE_MODEL_SETTINGS };
  const sources = Object.fromEntries(Object.keys(BASE_MODEL_SETTINGS).map((key) => [key, "base"])) as Record<
    keyof TModelSettings,
    TLayerName
  >;
  for (const layer of ["defaults", "profile", "override"] as const) {
    const value = input[layer];
    if (value === undefined || value === null) continue;
    const parsed = ZModelSettingsPatch.safeParse(value);
    if (!parsed.success) throw invalid(layer, parsed.error);
    for (const [key, setting] of Object.entries(parsed.data)) {
      if (setting === undefined || setting === null) continue;
      merged[key] = setting;
      sources[key as keyof TModelSettings] = layer;
    }
  }
  const settings = ZModelSettings.parse(merged);
  if (settings.maxOutputTokens >= settings.maxContextTokens) {
    throw new AppError("config_invalid", {
      message: `maxOutputTokens (${settings.maxOutputTokens}) must be smaller than maxContextTokens (${settings.maxContextTokens}): lower one or raise the other in the agent's settings`,
      details: { maxOutputTokens: sources.maxOutputTokens, maxContextTokens: sources.maxContextTokens },
    });
  }

  const chosen = chooseProvider(settings.provider, input.providers ?? {});
  if (chosen.config === null) {
    return {
      ...settings,
      model: BUILTIN_MODEL,
      providerConfig: { kind: "builtin" },
      offline: true,
      fallbackReason: chosen.reason,
      sources,
    };
  }
  const offline = chosen.config.kind === "builtin";
  return {
    ...settings,
    model: offline ? BUILTIN_MODEL : settings.model,
    providerConfig: chosen.config,
    offline,
    fallbackReason: null,
    sources,
  };
}

function chooseProvider(ref: string, providers: Record<string, unknown>): { config: TProviderConfig | null; reason: string | null } {
  if (ref === "builtin" && providers[ref] === undefined) return { config: { kind: "builtin" }, reason: null };
  const raw = providers[ref];
  if (raw === undefined || raw === null) {
    return {
      config: null,
      reason: `Provider "${ref}" is not configured, so the built-in offline model answers: add it in Settings → Providers`,
    };
  }
  if (typeof raw !== "object") throw invalidProvider(ref, "(root)", "expected an object");
  const record = { ...(raw as Record<string, unknown>) };
  if (typeof record.apiKey !== "string" || record.apiKey.trim() === "") delete record.apiKey;
  const needsKey = record.kind === "anthropic" || (record.kind === "openai_compatible" && record.keyless !== true);
  if (needsKey && record.apiKey === undefined) {
    return {
      config: null,
      reason: `No API key is configured for provider "${ref}", so the built-in offline model answers: add a key in Settings → Providers (or mark a local server such as Ollama as keyless)`,
    };
  }
  const parsed = ZProviderConfig.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidProvider(ref, issue?.path.join(".") || "(root)", issue?.message ?? "invalid");
  }
  return { config: parsed.data, reason: null };
}

function invalid(layer: string, error: z.ZodError): AppError {
  const issue = error.issues[0];
  const path = issue?.path.join(".") || "(root)";
  const where = layer === "profile" ? "the agent's profile" : layer === "defaults" ? "the global model defaults" : "the request override";
  return new AppError("config_invalid", {
    message: `Invalid model setting in ${where} at ${path}: ${issue?.message ?? "invalid"}. Fix it in ${where}`,
    details: { layer, path },
  });
}

function invalidProvider(ref: string, path: string, problem: string): AppError {
  return new AppError("config_invalid", {
    message: `Provider "${ref}" is misconfigured at ${path}: ${problem}. Fix it in Settings → Providers`,
    details: { provider: ref, path },
  });
}
