import { ZAnthropicToolMessage } from "./anthropic-schemas.ts";
import { buildCompletionResult } from "./build-completion-result.ts";
import { anthropicCallContext, mapStopReason } from "./complete-anthropic.ts";
import { flattenLoopMessages } from "./flatten-loop-messages.ts";
import { parseProviderJson } from "./parse-provider-json.ts";
import type { TAnthropicConfig, TLoopMessage, TToolCall, TToolCompletionRequest, TToolCompletionResult } from "./provider-types.ts";
import { runProviderCall, type TProviderRuntime } from "./run-provider-call.ts";
import { sendProviderRequest } from "./send-provider-request.ts";

/** A content block of the Messages API, as we send it. */
type TAnthropicBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  | { type: "tool_result"; tool_use_id: string; content: string; is_error: boolean };

/** A turn of the Messages API, as we send it. */
type TAnthropicTurn = { role: "user" | "assistant"; content: TAnthropicBlock[] };

/**
 * One step of an agent loop with Anthropic's Messages API: POST `${baseUrl}/v1/messages` with
 * `tools: [{name, description, input_schema}]`, not streamed. `tool_use` blocks of the answer
 * become `toolCalls`; tool results go back as a user turn of `tool_result` blocks (`is_error` for a
 * failed tool). Retries, timeouts, abort and usage work as in a plain completion.
 */
export async function completeAnthropicWithTools(
  config: TAnthropicConfig,
  request: TToolCompletionRequest,
  runtime: TProviderRuntime,
): Promise<TToolCompletionResult> {
  const startedAt = performance.now();
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const ctx = anthropicCallContext(config, request.model, runtime);
  const { system, messages } = toAnthropicTurns(request.messages);
  const body: Record<string, unknown> = {
    model: request.model,
    max_tokens: request.maxOutputTokens ?? config.defaultMaxOutputTokens,
    messages,
    stream: false,
  };
  if (system) body.system = system;
  if (request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters }));
  }
  if (request.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, request.temperature));
  const headers = { accept: "application/json", ...config.headers, "x-api-key": config.apiKey, "anthropic-version": config.version };

  return runProviderCall(ctx, request.signal, async (signal) => {
    const response = await sendProviderRequest(ctx, { url: `${baseUrl}/v1/messages`, headers, body }, signal);
    try {
      const reply = parseProviderJson(await response.body.text(), ZAnthropicToolMessage, {
        label: ctx.label,
        what: "a reply",
        secrets: ctx.secrets,
      });
      const toolCalls: TToolCall[] = [];
      let text = "";
      for (const [index, block] of reply.content.entries()) {
        if (block.type === "text") text += block.text ?? "";
        if (block.type === "tool_use" && block.name) {
          const input = block.input ?? {};
          toolCalls.push({
            id: block.id || `toolu_${index}`,
            name: block.name,
            arguments: input,
            rawArguments: JSON.stringify(input),
            argumentsError: null,
          });
        }
      }
      const providerFinishReason = reply.stop_reason ?? null;
      const result = buildCompletionResult(
        {
          text,
          model: reply.model ?? request.model,
          finishReason: toolCalls.length > 0 ? "tool_use" : mapStopReason(providerFinishReason),
          providerFinishReason,
          usage: reply.usage ? { inputTokens: reply.usage.input_tokens, outputTokens: reply.usage.output_tokens } : null,
        },
        {
          kind: "anthropic",
          label: ctx.label,
          messages: flattenLoopMessages(request.messages),
          startedAt,
          attempts: response.attempts,
          allowEmptyText: toolCalls.length > 0,
        },
      );
      return { ...result, toolCalls };
    } finally {
      response.body.destroy();
    }
  });
}

/**
 * Splits the transcript into Anthropic's `system` and turns: the model's tool calls become
 * `tool_use` blocks, tool results `tool_result` blocks of the next user turn (all results of one
 * step in one turn, as the API requires), consecutive turns of one role are merged, and the first
 * turn is a user turn.
 */
export function toAnthropicTurns(messages: readonly TLoopMessage[]): { system: string; messages: TAnthropicTurn[] } {
  const system: string[] = [];
  const turns: TAnthropicTurn[] = [];
  const push = (role: TAnthropicTurn["role"], blocks: TAnthropicBlock[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
        if (message.content.trim()) system.push(message.content);
        break;
      case "user":
        if (message.content.trim()) push("user", [{ type: "text", text: message.content }]);
        break;
      case "assistant": {
        const blocks: TAnthropicBlock[] = message.content.trim() ? [{ type: "text", text: message.content }] : [];
        for (const call of message.toolCalls)
          blocks.push({ type: "tool_use", id: call.id, name: call.name, input: asInput(call.arguments) });
        push("assistant", blocks);
        break;
      }
      case "tool":
        push("user", [{ type: "tool_result", tool_use_id: message.toolCallId, content: message.content, is_error: message.isError }]);
        break;
    }
  }
  if (turns[0]?.role !== "user") turns.unshift({ role: "user", content: [{ type: "text", text: "(The conversation starts here.)" }] });
  // Tool results must come first in their turn: a user text merged before them moves after them.
  for (const turn of turns) {
    if (turn.role === "user") turn.content.sort((a, b) => Number(b.type === "tool_result") - Number(a.type === "tool_result"));
  }
  return { system: system.join("\n\n"), messages: turns };
}

/** `tool_use.input` must be an object: a call whose arguments were not one (another provider's transcript) sends `{}`. */
function asInput(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
