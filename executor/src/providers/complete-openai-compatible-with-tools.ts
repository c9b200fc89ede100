import { assertNever } from "@mission-control/shared/errors";
import { buildCompletionResult } from "./build-completion-result.ts";
import { mapFinishReason, openAiCallContext } from "./complete-openai-compatible.ts";
import { flattenLoopMessages } from "./flatten-loop-messages.ts";
import { ZOpenAiToolChatResponse } from "./openai-compatible-schemas.ts";
import { parseProviderJson } from "./parse-provider-json.ts";
import { parseToolArguments } from "./parse-tool-arguments.ts";
import type { TLoopMessage, TOpenAiCompatibleConfig, TToolCall, TToolCompletionRequest, TToolCompletionResult } from "./provider-types.ts";
import { runProviderCall, type TProviderRuntime } from "./run-provider-call.ts";
import { sendProviderRequest } from "./send-provider-request.ts";

/**
 * One step of an agent loop on an OpenAI-compatible server: POST `${baseUrl}/chat/completions`
 * with `tools: [{type: "function", function: {name, description, parameters}}]`, not streamed.
 * The answer's `choices[0].message.tool_calls` become `toolCalls`; tool results go back as
 * `{role: "tool", tool_call_id, content}` messages (the API has no error flag, so a failed tool's
 * content starts with "Error:"). Retries, timeouts, abort and usage work as in a plain completion.
 */
export async function completeOpenAiCompatibleWithTools(
  config: TOpenAiCompatibleConfig,
  request: TToolCompletionRequest,
  runtime: TProviderRuntime,
): Promise<TToolCompletionResult> {
  const startedAt = performance.now();
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const ctx = openAiCallContext(config, request.model, runtime);
  const body: Record<string, unknown> = { model: request.model, messages: toOpenAiMessages(request.messages), stream: false };
  // An empty `tools` array is refused by some servers: leave the field out when nothing is offered.
  if (request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxOutputTokens !== undefined) body[config.maxTokensField] = request.maxOutputTokens;
  const headers: Record<string, string> = { accept: "application/json", ...config.headers };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;

  return runProviderCall(ctx, request.signal, async (signal) => {
    const response = await sendProviderRequest(ctx, { url: `${baseUrl}/chat/completions`, headers, body }, signal);
    try {
      const reply = parseProviderJson(await response.body.text(), ZOpenAiToolChatResponse, {
        label: ctx.label,
        what: "a reply",
        secrets: ctx.secrets,
      });
      const message = reply.choices[0]?.message;
      const toolCalls: TToolCall[] = (message?.tool_calls ?? []).map((call, index) =>
        parseToolArguments({ id: call.id || `call_${index}`, name: call.function.name, raw: call.function.arguments }),
      );
      const providerFinishReason = reply.choices[0]?.finish_reason ?? null;
      const result = buildCompletionResult(
        {
          text: message?.content ?? message?.refusal ?? "",
          model: reply.model ?? request.model,
          // Some local servers answer tool calls with finish_reason "stop": the calls decide.
          finishReason: toolCalls.length > 0 ? "tool_use" : mapFinishReason(providerFinishReason),
          providerFinishReason,
          usage: reply.usage ? { inputTokens: reply.usage.prompt_tokens, outputTokens: reply.usage.completion_tokens } : null,
        },
        {
          kind: "openai_compatible",
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

/** The transcript in OpenAI's chat format. */
function toOpenAiMessages(messages: readonly TLoopMessage[]): Record<string, unknown>[] {
  return messages.map((message) => {
    switch (message.role) {
      case "system":
      case "user":
        return { role: message.role, content: message.content };
      case "assistant":
        if (message.toolCalls.length === 0) return { role: "assistant", content: message.content };
        return {
          role: "assistant",
          content: message.content === "" ? null : message.content,
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: call.rawArguments },
          })),
        };
      case "tool":
        return { role: "tool", tool_call_id: message.toolCallId, content: message.isError ? `Error: ${message.content}` : message.content };
      default:
        return assertNever(message);
    }
  });
}
