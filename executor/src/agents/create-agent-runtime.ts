import type { Logger } from "pino";
import { resolveModelConfig } from "../config/resolve-model-config.ts";
import { assembleContext, type TThreadMessage } from "../context/assemble-context.ts";
import type { TDeliveryInput } from "../delivery/decode-claimed-delivery.ts";
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

/** An agent's answer to one delivery, with what the reply row and agent_status store about it. */
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
    context: TContextUsage & { trimmed_messages: number; trimmed_docs: string[]; notes: string[] };
    fallback_reason: string | null;
  };
  contextUsage: TContextUsage;
};

/** Runs agents: resolves their model config, assembles their context and calls their provider. */
export interface TAgentRuntime {
  reply(input: TDeliveryInput, signal: AbortSignal): Promise<TAgentReply>;
  /** Releases provider connection pools. */
  close(): Promise<void>;
}

/**
 * Creates the runtime the delivery worker calls for each delivery. `providers` are the globally
 * configured providers (see buildProviderSettings); one provider instance (and connection pool)
 * is kept per distinct configuration.
 */
export function createAgentRuntime(options: { providers: Record<string, unknown>; log: Logger }): TAgentRuntime {
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

  return {
    async reply(input, signal) {
      const { agent } = input;
      const config = resolveModelConfig({
        providers: options.providers,
        profile: {
          provider: agent.provider,
          model: agent.model,
          temperature: Number(agent.temperature),
          maxContextTokens: agent.max_context_tokens,
          maxOutputTokens: agent.max_output_tokens,
          systemPrompt: agent.system_prompt,
          verbosity: agent.verbosity,
        },
      });
      const context = assembleContext({
        agentKey: agent.agent_key,
        systemPrompt: describeAgent(agent, config.systemPrompt),
        mission: input.mission?.content ?? "",
        docs: input.agentDocs.map((doc) => ({ title: doc.title || doc.doc_type, content: doc.content })),
        history: input.history.map(toThreadMessage),
        tools: agent.tools_enabled,
        newMessage: toThreadMessage(input.message),
        maxContextTokens: config.maxContextTokens,
        reserveOutputTokens: config.maxOutputTokens,
      });
      const result = await providerFor(config.providerConfig).complete({
        model: config.model,
        messages: context.messages,
        temperature: config.temperature,
        maxOutputTokens: config.maxOutputTokens,
        signal,
      });
      const b = context.breakdown;
      const contextUsage: TContextUsage = {
        system_prompt: b.systemPrompt,
        mission: b.mission,
        docs: b.docs,
        history: b.history,
        tools: b.tools,
        new_message: b.newMessage,
        total: b.total,
        max_context_tokens: config.maxContextTokens,
      };
      return {
        text: result.text.trim() || "(the model returned an empty reply)",
        model: result.model,
        contextUsage,
        metadata: {
          model: result.model,
          provider: result.provider,
          offline: result.offline,
          latency_ms: Math.round(result.latencyMs),
          finish_reason: result.finishReason,
          attempts: result.attempts,
          usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens, estimated: result.usage.estimated },
          context: { ...contextUsage, trimmed_messages: context.trimmedMessages, trimmed_docs: context.trimmedDocs, notes: context.notes },
          fallback_reason: config.fallbackReason,
        },
      };
    },
    async close() {
      const providers = [...pool.values()];
      pool.clear();
      await Promise.allSettled(providers.map((provider) => provider.close()));
    },
  };
}

/** The agent's identity line, then its own system prompt. */
function describeAgent(agent: TDeliveryInput["agent"], systemPrompt: string): string {
  const identity = `You are ${agent.display_name} (agent "${agent.agent_key}")${agent.role ? `, ${agent.role}` : ""}, one agent of a team working on this project.`;
  return systemPrompt.trim() ? `${identity}\n\n${systemPrompt.trim()}` : identity;
}

function toThreadMessage(message: TDeliveryInput["message"]): TThreadMessage {
  return { author: message.author_type === "agent" ? (message.author_agent_key ?? "agent") : "user", content: message.content };
}
