import crypto from "node:crypto";
import type { TResolvedSettings } from "@mission-control/shared/schemas";
import type { Logger } from "pino";
import { resolveModelConfig, type TConnectionConfig, type TModelRunConfig } from "../config/resolve-model-config.ts";
import { assembleContext, type TAssembledContext, type TThreadMessage } from "../context/assemble-context.ts";
import { describeTools } from "../context/describe-tools.ts";
import { appendVerbosity } from "../context/describe-verbosity.ts";
import type { TReferencedDocUse } from "../context/referenced-docs.ts";
import type { TDeliveryInput } from "../delivery/decode-claimed-delivery.ts";
import type { TProviderCallPlan, TProviderCallRecord } from "../delivery/reserve-provider-call.ts";
import type { TKeks } from "../keys/provider-keks.ts";
import { connectionToProviderConfig, type TConnectionWithSecret } from "../providers/connection-to-provider-config.ts";
import { createProvider } from "../providers/create-provider.ts";
import type { TProvider, TProviderConfig } from "../providers/provider-types.ts";

/** Tokens per part of the prompt, as stored on replies and on agent_status.context_usage. */
export type TContextUsage = {
  system_prompt: number;
  mission: number;
  docs: number;
  history: number;
  tools: number;
  new_message: number;
  total: number;
  max_context_tokens: number;
};

/** One delivery's run prepared up to the provider call: settings resolved, prompt assembled, call planned. */
export type TAgentTurn = {
  input: TDeliveryInput;
  run: TModelRunConfig;
  context: TAssembledContext;
  contextUsage: TContextUsage;
  /** The provider call to reserve against budgets (when any applies) and to record. */
  call: TProviderCallPlan;
};

/** An agent's answer to one delivery, with what the reply row, provider_calls and agent_status store about it. */
export type TAgentReply = {
  text: string;
  model: string;
  /** Stored as the reply message's metadata. */
  metadata: {
    model: string;
    provider: string;
    offline: boolean;
    latency_ms: number;
    finish_reason: string;
    attempts: number;
    usage: { input_tokens: number; output_tokens: number; estimated: boolean };
    context: TContextUsage & {
      trimmed_messages: number;
      trimmed_docs: string[];
      /** The docs the message referenced and what became of each (included, truncated, left out, withheld, missing). */
      referenced_docs: TReferencedDocUse[];
      notes: string[];
    };
    fallback_reason: string | null;
    /** The effective model settings and, per field, the layer it came from. */
    effective: TResolvedSettings;
    /** Settings layers that were ignored, and why. */
    settings_notes: string[];
    connection_id: string | null;
    call_id: string;
  };
  contextUsage: TContextUsage;
  /** The finished call, saved with the reply. */
  call: TProviderCallRecord;
};

/** Runs agents: resolves their settings, assembles their context and calls their provider. */
export interface TAgentRuntime {
  /** Resolves the effective settings, assembles the prompt and plans the call (no I/O). */
  prepare(input: TDeliveryInput): TAgentTurn;
  /**
   * Calls the provider for a prepared turn. `onOutput` receives the latest line of a CLI agent's
   * output while it runs (network providers answer in one piece).
   */
  complete(turn: TAgentTurn, options: { signal: AbortSignal; onOutput?: (line: string) => void }): Promise<TAgentReply>;
  /**
   * Resolves an agent's effective settings outside a delivery (a run) and the provider to call,
   * from the same pool the deliveries use.
   */
  resolveAgent(input: {
    agent: TDeliveryInput["agent"];
    agentDefaults: unknown;
    connections: TDeliveryInput["connections"];
    override?: unknown;
  }): { run: TModelRunConfig; provider: TProvider };
  /** Releases provider connection pools. */
  close(): Promise<void>;
}

/**
 * Creates the runtime the delivery worker calls for each delivery. `providers` are the environment
 * connections (see buildProviderSettings); a project's provider connections are turned into
 * providers with `keks` (to decrypt their keys) and `workspaceDir` (where CLI agents run). Settings
 * are read from each delivery's context, so a profile, project default or connection changed in the
 * database applies to the next delivery. One provider instance (and connection pool) is kept per
 * distinct configuration.
 */
export function createAgentRuntime(options: {
  providers: Record<string, unknown>;
  keks: TKeks;
  workspaceDir: string;
  log: Logger;
}): TAgentRuntime {
  const connectionConfig = (row: TConnectionWithSecret): TConnectionConfig => {
    try {
      const mapped = connectionToProviderConfig(row, { keks: options.keks, workspaceDir: options.workspaceDir });
      return mapped.config ? { config: mapped.config } : { reason: mapped.reason };
    } catch (err) {
      return {
        reason: `Provider connection "${row.name}" cannot be used (${err instanceof Error ? err.message : String(err)}): check it in Settings → Providers`,
      };
    }
  };
  const pool = new Map<string, TProvider>();
  const providerFor = (config: TProviderConfig): TProvider => {
    const key = JSON.stringify(config);
    let provider = pool.get(key);
    if (!provider) {
      provider = createProvider(config, { log: options.log.child({ provider: config.kind }) });
      pool.set(key, provider);
    }
    return provider;
  };

  const resolve = (input: {
    agent: TDeliveryInput["agent"];
    agentDefaults: unknown;
    connections: TDeliveryInput["connections"];
    override?: unknown;
  }): TModelRunConfig => {
    const { agent } = input;
    return resolveModelConfig({
      agentKey: agent.agent_key,
      project: input.agentDefaults,
      agent: {
        provider: agent.provider,
        provider_connection_id: agent.provider_connection_id,
        model: agent.model,
        temperature: agent.temperature === null ? null : Number(agent.temperature),
        max_context_tokens: agent.max_context_tokens,
        max_output_tokens: agent.max_output_tokens,
        verbosity: agent.verbosity,
      },
      run: input.override,
      providers: options.providers,
      connections: input.connections,
      connectionConfig,
    });
  };

  return {
    resolveAgent(input) {
      const run = resolve(input);
      return { run, provider: providerFor(run.providerConfig) };
    },

    prepare(input) {
      const { agent } = input;
      const run = resolve({
        agent,
        agentDefaults: input.agentDefaults,
        connections: input.connections,
        override: readSettingsOverride(input.message.metadata),
      });
      const { values } = run.effective;
      const context = assembleContext({
        agentKey: agent.agent_key,
        systemPrompt: appendVerbosity(describeAgent(agent), values.verbosity),
        mission: input.mission?.content ?? "",
        docs: input.agentDocs.map((doc) => ({ title: doc.title || doc.doc_type, content: doc.content })),
        referencedDocs: input.referencedDocs,
        history: input.history.map(toThreadMessage),
        tools: describeTools(agent),
        newMessage: toThreadMessage(input.message),
        maxContextTokens: values.max_context_tokens,
        reserveOutputTokens: values.max_output_tokens,
      });
      const b = context.breakdown;
      return {
        input,
        run,
        context,
        contextUsage: {
          system_prompt: b.systemPrompt,
          mission: b.mission,
          // Referenced docs count as docs in the stored usage (its shape is shared with the dashboard).
          docs: b.docs + b.referencedDocs,
          history: b.history,
          tools: b.tools,
          new_message: b.newMessage,
          total: b.total,
          max_context_tokens: values.max_context_tokens,
        },
        call: {
          id: crypto.randomUUID(),
          project_id: input.delivery.project_id,
          agent_id: agent.id,
          agent_key: agent.agent_key,
          delivery_id: input.delivery.id,
          provider: run.offline ? "builtin" : values.provider,
          connection_id: run.connectionId,
          model: run.model,
          reserved_tokens: b.total + values.max_output_tokens,
          settings: run.effective,
        },
      };
    },

    async complete(turn, { signal, onOutput }) {
      const { run, context } = turn;
      const streamsOutput = run.providerConfig.kind === "cli" && onOutput !== undefined;
      let output = "";
      const result = await providerFor(run.providerConfig).complete({
        model: run.model,
        messages: context.messages,
        temperature: run.effective.values.temperature,
        maxOutputTokens: run.effective.values.max_output_tokens,
        signal,
        ...(streamsOutput
          ? {
              onDelta: (text: string) => {
                // Only the tail matters for the status line; a huge output must not be rescanned on every piece.
                output = (output + text).slice(-2_000);
                const line = lastLine(output);
                if (line) onOutput(line);
              },
            }
          : {}),
      });
      const latencyMs = Math.round(result.latencyMs);
      const usage = { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens, estimated: result.usage.estimated };
      return {
        text: result.text.trim() || "(the model returned an empty reply)",
        model: result.model,
        contextUsage: turn.contextUsage,
        metadata: {
          model: result.model,
          provider: result.provider,
          offline: result.offline,
          latency_ms: latencyMs,
          finish_reason: result.finishReason,
          attempts: result.attempts,
          usage,
          context: {
            ...turn.contextUsage,
            trimmed_messages: context.trimmedMessages,
            trimmed_docs: context.trimmedDocs,
            referenced_docs: context.referencedDocs,
            notes: context.notes,
          },
          fallback_reason: run.fallbackReason,
          effective: run.effective,
          settings_notes: run.notes,
          connection_id: run.connectionId,
          call_id: turn.call.id,
        },
        call: { ...turn.call, model: result.model, ...usage, latency_ms: latencyMs, outcome: "ok", error: null },
      };
    },

    async close() {
      const providers = [...pool.values()];
      pool.clear();
      await Promise.allSettled(providers.map((provider) => provider.close()));
    },
  };
}

/** The run's settings override a message may carry (`metadata.settings_override`); validated by the resolution. */
function readSettingsOverride(metadata: unknown): unknown {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return undefined;
  return (metadata as Record<string, unknown>).settings_override;
}

/** The agent's identity line, then its own system prompt. */
function describeAgent(agent: TDeliveryInput["agent"]): string {
  const identity = `You are ${agent.display_name} (agent "${agent.agent_key}")${agent.role ? `, ${agent.role}` : ""}, one agent of a team working on this project.`;
  const own = agent.system_prompt.trim();
  return own ? `${identity}\n\n${own}` : identity;
}

function toThreadMessage(message: TDeliveryInput["message"]): TThreadMessage {
  return { author: message.author_type === "agent" ? (message.author_agent_key ?? "agent") : "user", content: message.content };
}

/** The last non-empty line of a growing output, for the roster's one-line status. */
function lastLine(text: string): string {
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]?.trim();
    if (line) return line;
  }
  return "";
}
