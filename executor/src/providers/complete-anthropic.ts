import { AppError, type TAppErrorCode } from "@mission-control/shared/errors";
import type { z } from "zod";
import {
  ZAnthropicContentBlockDelta,
  ZAnthropicErrorEvent,
  ZAnthropicEvent,
  ZAnthropicMessage,
  ZAnthropicMessageDelta,
  ZAnthropicMessageStart,
} from "./anthropic-schemas.ts";
import { buildCompletionResult, type TRawCompletion } from "./build-completion-result.ts";
import { parseProviderJson } from "./parse-provider-json.ts";
import { parseSseStream } from "./parse-sse-stream.ts";
import type { TAnthropicConfig, TChatMessage, TCompletionRequest, TCompletionResult, TFinishReason } from "./provider-types.ts";
import { collectSecrets, displayBaseUrl, redactSecrets } from "./read-provider-error.ts";
import { runProviderCall, type TProviderCallContext, type TProviderRuntime } from "./run-provider-call.ts";
import { sendProviderRequest, type TProviderResponse } from "./send-provider-request.ts";

/**
 * Completes a chat with Anthropic's Messages API: POST `${baseUrl}/v1/messages` with `x-api-key`
 * and `anthropic-version`; system messages go to the top-level `system`. Streams as SSE when
 * `request.stream` (default: when `onDelta` is set). Temperature is clamped to Anthropic's 0–1.
 */
export async function completeAnthropic(
  config: TAnthropicConfig,
  request: TCompletionRequest,
  runtime: TProviderRuntime,
): Promise<TCompletionResult> {
  const startedAt = performance.now();
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const stream = request.stream ?? request.onDelta !== undefined;
  const ctx = anthropicCallContext(config, request.model, runtime);
  const { system, messages } = toAnthropicMessages(request.messages);
  const body: Record<string, unknown> = {
    model: request.model,
    max_tokens: request.maxOutputTokens ?? config.defaultMaxOutputTokens,
    messages,
    stream,
  };
  if (system) body.system = system;
  if (request.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, request.temperature));
  const headers = {
    accept: stream ? "text/event-stream" : "application/json",
    ...config.headers,
    "x-api-key": config.apiKey,
    "anthropic-version": config.version,
  };

  return runProviderCall(ctx, request.signal, async (signal) => {
    const response = await sendProviderRequest(ctx, { url: `${baseUrl}/v1/messages`, headers, body }, signal);
    try {
      const isSse = response.contentType.includes("text/event-stream") || (stream && !response.contentType.includes("json"));
      const raw = isSse ? await readStreamedReply(ctx, response, request) : await readJsonReply(ctx, response, request);
      return buildCompletionResult(raw, {
        kind: "anthropic",
        label: ctx.label,
        messages: request.messages,
        startedAt,
        attempts: response.attempts,
      });
    } finally {
      response.body.destroy();
    }
  });
}

/** The call context of one request to the Messages API (label, limits, secrets to redact). */
export function anthropicCallContext(config: TAnthropicConfig, model: string, runtime: TProviderRuntime): TProviderCallContext {
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  return {
    ...runtime,
    kind: "anthropic",
    label: config.name ?? `Anthropic at ${displayBaseUrl(baseUrl)}`,
    baseUrl: displayBaseUrl(baseUrl),
    model,
    secrets: collectSecrets(config.apiKey, config.headers),
    timeouts: config.timeouts,
    retry: config.retry,
  };
}

/**
 * Splits provider-neutral messages into Anthropic's `system` string and a `messages` list that
 * starts with a user turn, merges consecutive turns of the same role and drops empty ones.
 */
export function toAnthropicMessages(messages: readonly TChatMessage[]): {
  system: string;
  messages: { role: "user" | "assistant"; content: string }[];
} {
  const system: string[] = [];
  const turns: { role: "user" | "assistant"; content: string }[] = [];
  for (const message of messages) {
    if (message.role === "system") {
      if (message.content.trim()) system.push(message.content);
      continue;
    }
    if (!message.content.trim()) continue;
    const last = turns.at(-1);
    if (last && last.role === message.role) last.content = `${last.content}\n\n${message.content}`;
    else turns.push({ role: message.role, content: message.content });
  }
  if (turns[0]?.role !== "user") turns.unshift({ role: "user", content: "(The conversation starts here.)" });
  return { system: system.join("\n\n"), messages: turns };
}

async function readJsonReply(ctx: TProviderCallContext, response: TProviderResponse, request: TCompletionRequest): Promise<TRawCompletion> {
  const reply = parseProviderJson(await response.body.text(), ZAnthropicMessage, {
    label: ctx.label,
    what: "a reply",
    secrets: ctx.secrets,
  });
  const text = reply.content.map((block) => (block.type === "text" ? (block.text ?? "") : "")).join("");
  if (text && request.onDelta) request.onDelta(text);
  const providerFinishReason = reply.stop_reason ?? null;
  return {
    text,
    model: reply.model ?? request.model,
    finishReason: mapStopReason(providerFinishReason),
    providerFinishReason,
    usage: reply.usage ? { inputTokens: reply.usage.input_tokens, outputTokens: reply.usage.output_tokens } : null,
  };
}

async function readStreamedReply(
  ctx: TProviderCallContext,
  response: TProviderResponse,
  request: TCompletionRequest,
): Promise<TRawCompletion> {
  const where = { label: ctx.label, what: "a streamed event", secrets: ctx.secrets };
  const parse = <T>(data: string, schema: z.ZodType<T>): T => parseProviderJson(data, schema, where);
  let text = "";
  let model = request.model;
  let inputTokens: number | null = null;
  let outputTokens: number | null = null;
  let providerFinishReason: string | null = null;
  let stopped = false;
  for await (const event of parseSseStream(response.body)) {
    if (event.data.trim() === "") continue;
    const { type } = parse(event.data, ZAnthropicEvent);
    switch (type) {
      case "message_start": {
        const { message } = parse(event.data, ZAnthropicMessageStart);
        if (message.model) model = message.model;
        inputTokens = message.usage?.input_tokens ?? inputTokens;
        outputTokens = message.usage?.output_tokens ?? outputTokens;
        break;
      }
      case "content_block_delta": {
        const { delta } = parse(event.data, ZAnthropicContentBlockDelta);
        if (delta.type === "text_delta" && delta.text) {
          text += delta.text;
          request.onDelta?.(delta.text);
        }
        break;
      }
      case "message_delta": {
        const { delta, usage } = parse(event.data, ZAnthropicMessageDelta);
        providerFinishReason = delta.stop_reason ?? providerFinishReason;
        outputTokens = usage?.output_tokens ?? outputTokens;
        // Gateways (OpenRouter) send input_tokens: 0 at message_start and the real count here.
        if (usage?.input_tokens) inputTokens = usage.input_tokens;
        break;
      }
      case "message_stop":
        stopped = true;
        break;
      case "error": {
        const { error } = parse(event.data, ZAnthropicErrorEvent);
        throw new AppError(codeForStreamError(error.type), {
          message: `${ctx.label} reported ${error.type} in the middle of its reply: "${redactSecrets(error.message, ctx.secrets)}". Try again in a moment or pick another model`,
          details: { provider: ctx.kind, errorType: error.type },
        });
      }
      default:
        // ping, content_block_start/stop and event types added later carry nothing we need.
        break;
    }
    if (stopped) break;
  }
  if (!stopped && providerFinishReason === null) {
    throw new AppError("provider_bad_response", {
      message: `${ctx.label} ended its streamed reply before it was complete (no message_stop${text ? "" : ", and no text"}): try again, or turn streaming off`,
      details: { provider: ctx.kind, receivedChars: text.length },
    });
  }
  const usage = inputTokens !== null && outputTokens !== null ? { inputTokens, outputTokens } : null;
  return { text, model, finishReason: mapStopReason(providerFinishReason ?? "end_turn"), providerFinishReason, usage };
}

function codeForStreamError(type: string): TAppErrorCode {
  if (type === "rate_limit_error") return "provider_rate_limited";
  if (type === "overloaded_error" || type === "api_error") return "provider_unreachable";
  return "provider_bad_response";
}

/** Maps an Anthropic `stop_reason` to ours. */
export function mapStopReason(reason: string | null): TFinishReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "refusal":
      return "content_filter";
    case "tool_use":
      return "tool_use";
    default:
      return "other";
  }
}
