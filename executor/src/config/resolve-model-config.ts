import { AppError } from "@mission-control/shared/errors";
import {
  resolveAgentSettings,
  type TModelSettingsLayer,
  type TResolvedSettings,
  ZAgentDefaults,
  ZModelSettingsLayer,
} from "@mission-control/shared/schemas";
import type { z } from "zod";
import { BUILTIN_MODEL } from "../providers/complete-builtin.ts";
import { type TProviderConfig, ZProviderConfig } from "../providers/provider-types.ts";

/** The part of a provider connection row the resolution reads (the rest goes to `connectionConfig`). */
export type TConnectionCandidate = { id: string; name: string; kind: string; default_model: string | null };

/** A connection turned into a provider configuration, or why it cannot be used (in words). */
export type TConnectionConfig = { config: TProviderConfig } | { reason: string };

/** What one run of an agent calls, and why. */
export type TModelRunConfig = {
  /** The effective settings and the layer each came from (project defaults → agent → run override). */
  effective: TResolvedSettings;
  /** The provider that will be called (the built-in one when falling back). */
  providerConfig: TProviderConfig;
  /** The model to ask for. */
  model: string;
  /** True when the built-in offline model will answer. */
  offline: boolean;
  /** The provider connection called, when the agent runs on one. */
  connectionId: string | null;
  /** Why the effective provider is not used, in words for the operator; null when it is. */
  fallbackReason: string | null;
  /** Layers that were ignored and why (an invalid run override or project default). */
  notes: string[];
};

/**
 * Resolves one run of an agent with the shared `resolveAgentSettings` (built-in → project
 * `agent_defaults` → the agent's profile columns → the run's override), then picks what to call:
 * `builtin` → the offline model; `openai_compatible` / `anthropic` → the executor's environment
 * connection from `providers`; `connection` → one of `connections` through `connectionConfig`. Rule:
 * whatever cannot be used (not configured, no key, no model, a connection that is gone or cannot
 * decrypt its key) falls back to the built-in offline model and says why, so an agent always answers.
 * An invalid run override or project default is ignored with a note; an invalid agent layer or a
 * misconfigured environment provider throws `config_invalid` naming the field.
 */
export function resolveModelConfig<TConnection extends TConnectionCandidate>(input: {
  agentKey: string;
  /** The project's `agent_defaults` setting (null: none). */
  project?: unknown;
  /** The agent's model-setting columns. */
  agent?: unknown;
  /** The run's override (`message.metadata.settings_override`). */
  run?: unknown;
  /** The environment connections, keyed by `agents.provider` (see buildProviderSettings). */
  providers?: Record<string, unknown>;
  /** The project's connections this run could pick. */
  connections?: readonly TConnection[];
  connectionConfig?: (row: TConnection) => TConnectionConfig;
}): TModelRunConfig {
  const notes: string[] = [];
  const agentLayer = ZModelSettingsLayer.safeParse(input.agent ?? {});
  if (!agentLayer.success) throw invalidLayer(input.agentKey, agentLayer.error);
  const effective = resolveAgentSettings({
    project: optionalLayer(
      ZAgentDefaults.safeParse(input.project ?? {}),
      "the project's agent defaults (Settings → Agent defaults)",
      notes,
    ),
    agent: agentLayer.data,
    run: optionalLayer(ZModelSettingsLayer.safeParse(input.run ?? {}), "this message's settings override", notes),
  });
  const { values, sources } = effective;
  const offline = (fallbackReason: string | null): TModelRunConfig => ({
    effective,
    providerConfig: { kind: "builtin" },
    model: BUILTIN_MODEL,
    offline: true,
    connectionId: null,
    fallbackReason,
    notes,
  });
  const modelSet = sources.model !== "built_in";

  switch (values.provider) {
    case "builtin":
      return offline(null);
    case "openai_compatible":
    case "anthropic": {
      const chosen = chooseEnvProvider(values.provider, input.providers ?? {});
      if ("reason" in chosen) return offline(chosen.reason);
      if (!modelSet) return offline(noModel(input.agentKey, `provider "${values.provider}"`));
      return {
        effective,
        providerConfig: chosen.config,
        model: values.model,
        offline: false,
        connectionId: null,
        fallbackReason: null,
        notes,
      };
    }
    case "connection": {
      const row = input.connections?.find((connection) => connection.id === values.provider_connection_id);
      if (!row || !input.connectionConfig) {
        return offline(
          `The provider connection agent @${input.agentKey} runs on no longer exists in this project, so the built-in offline model answers: pick another on the agent's page or in Settings → Agent defaults`,
        );
      }
      const model = modelSet ? values.model : (row.default_model ?? (row.kind === "cli" ? row.name : null));
      if (model === null) return offline(noModel(input.agentKey, `connection "${row.name}"`));
      const mapped = input.connectionConfig(row);
      if ("reason" in mapped) return offline(mapped.reason);
      return { effective, providerConfig: mapped.config, model, offline: false, connectionId: row.id, fallbackReason: null, notes };
    }
    default:
      throw new AppError("config_invalid", { message: `Unknown provider "${String(values.provider)}" for agent @${input.agentKey}` });
  }
}

function optionalLayer(parsed: z.ZodSafeParseResult<TModelSettingsLayer>, where: string, notes: string[]): TModelSettingsLayer | null {
  if (parsed.success) return parsed.data;
  notes.push(`Ignored ${where}: ${describeIssue(parsed.error)}`);
  return null;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join(".") || "(root)"} ${issue?.message ?? "is invalid"}`;
}

function noModel(agentKey: string, provider: string): string {
  return `No model is set for agent @${agentKey} on ${provider}, so the built-in offline model answers: pick a model on the agent's page or in Settings → Agent defaults`;
}

function invalidLayer(agentKey: string, error: z.ZodError): AppError {
  return new AppError("config_invalid", {
    message: `Invalid model setting in the profile of agent @${agentKey}: ${describeIssue(error)}. Fix it on the agent's page`,
    details: { agentKey, path: error.issues[0]?.path.join(".") ?? null },
  });
}

/** The environment connection named by `ref`, with the fallback rules for a missing connection or key. */
function chooseEnvProvider(ref: string, providers: Record<string, unknown>): { config: TProviderConfig } | { reason: string } {
  const raw = providers[ref];
  if (raw === undefined || raw === null) {
    return {
      reason: `Provider "${ref}" is not configured, so the built-in offline model answers: add it in Settings → Providers`,
    };
  }
  if (typeof raw !== "object") throw invalidProvider(ref, "(root)", "expected an object");
  const record = { ...(raw as Record<string, unknown>) };
  if (typeof record.apiKey !== "string" || record.apiKey.trim() === "") delete record.apiKey;
  const needsKey = record.kind === "anthropic" || (record.kind === "openai_compatible" && record.keyless !== true);
  if (needsKey && record.apiKey === undefined) {
    return {
      reason: `No API key is configured for provider "${ref}", so the built-in offline model answers: add a key in Settings → Providers (or mark a local server such as Ollama as keyless)`,
    };
  }
  const parsed = ZProviderConfig.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidProvider(ref, issue?.path.join(".") || "(root)", issue?.message ?? "invalid");
  }
  return { config: parsed.data };
}

function invalidProvider(ref: string, path: string, problem: string): AppError {
  return new AppError("config_invalid", {
    message: `Provider "${ref}" is misconfigured at ${path}: ${problem}. Fix it in Settings → Providers`,
    details: { provider: ref, path },
  });
}
