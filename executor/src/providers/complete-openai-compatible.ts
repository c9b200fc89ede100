import { AppError } from "@mission-control/shared/errors";
import { buildCompletionResult, type TRawCompletion } from "./build-completion-result.ts";
import { ZOpenAiChatChunk, ZOpenAiChatResponse } from "./openai-compatible-schemas.ts";
import { parseProviderJson } from "./parse-provider-json.ts";
import { parseSseStream } from "./parse-sse-stream.ts";
import type { TCompletionRequest, TCompletionResult, TFinishReason, TOpenAiCompatibleConfig } from "./provider-types.ts";
import { collectSecrets, displayBaseUrl, redactSecrets } from "./read-provider-error.ts";
import { runProviderCall, type TProviderCallContext, type TProviderRuntime } from "./run-provider-call.ts";
import { sendProviderRequest, type TProviderResponse } from "./send-provider-request.ts";

/**
 * Completes a chat on an OpenAI-compatible server (OpenAI, Ollama, vLLM, LM Studio, OpenRouter):
 * POST `${baseUrl}/chat/completions`, streamed as SSE when `request.stream` (default: when
 * `onDelta` is set), else one JSON reply. Usage comes from the server when it reports it
 * (`stream_options.include_usage`), otherwise it is counted locally.
 */
export async function completeOpenAiCompatible(
  config: TOpenAiCompatibleConfig,
  request: TCompletionRequest,
  runtime: TProviderRuntime,
): Promise<TCompletionResult> {
  const startedAt = performance.now();
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const stream = request.stream ?? request.onDelta !== undefined;
  const ctx = openAiCallContext(config, request.model, runtime);
  const body: Record<string, unknown> = { model: request.model, messages: request.messages, stream };
  if (stream && config.streamUsage) body.stream_options = { include_usage: true };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxOutputTokens !== undefined) body[config.maxTokensField] = request.maxOutputTokens;
  const headers: Record<string, string> = { accept: stream ? "text/event-stream" : "application/json", ...config.headers };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;

  return runProviderCall(ctx, request.signal, async (signal) => {
    const response = await sendProviderRequest(ctx, { url: `${baseUrl}/chat/completions`, headers, body }, signal);
    try {
      const isSse = response.contentType.includes("text/event-stream") || (stream && !response.contentType.includes("json"));
      const raw = isSse ? await readStreamedReply(ctx, response, request) : await readJsonReply(ctx, response, request);
      return buildCompletionResult(raw, {
        kind: "openai_compatible",
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

/** The call context of one request to an OpenAI-compatible server (label, limits, secrets to redact). */
export function openAiCallContext(config: TOpenAiCompatibleConfig, model: string, runtime: TProviderRuntime): TProviderCallContext {
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  return {
    ...runtime,
    kind: "openai_compatible",
    label: config.name ?? `OpenAI-compatible server at ${displayBaseUrl(baseUrl)}`,
    baseUrl: displayBaseUrl(baseUrl),
    model,
    secrets: collectSecrets(config.apiKey, config.headers),
    timeouts: config.timeouts,
    retry: config.retry,
  };
}

async function readJsonReply(ctx: TProviderCallContext, response: TProviderResponse, request: TCompletionRequest): Promise<TRawCompletion> {
  const reply = parseProviderJson(await response.body.text(), ZOpenAiChatResponse, {
    label: ctx.label,
    what: "a reply",
    secrets: ctx.secrets,
  });
  const choice = reply.choices[0];
  const text = choice?.message.content ?? choice?.message.refusal ?? "";
  if (text && request.onDelta) request.onDelta(text);
  const providerFinishReason = choice?.finish_reason ?? null;
  return {
    text,
    model: reply.model ?? request.model,
    finishReason: mapFinishReason(providerFinishReason),
    providerFinishReason,
    usage: reply.usage ? { inputTokens: reply.usage.prompt_tokens, outputTokens: reply.usage.completion_tokens } : null,
  };
}

async function readStreamedReply(
  ctx: TProviderCallContext,
  response: TProviderResponse,
  request: TCompletionRequest,
): Promise<TRawCompletion> {
  let text = "";
  let model = request.model;
  let providerFinishReason: string | null = null;
  let usage: TRawCompletion["usage"] = null;
  let done = false;
  for await (const event of parseSseStream(response.body)) {
    const data = event.data.trim();
    if (data === "[DONE]") {
      done = true;
      break;
    }
    if (data === "") continue;
    const chunk = parseProviderJson(data, ZOpenAiChatChunk, { label: ctx.label, what: "a streamed chunk", secrets: ctx.secrets });
    if (chunk.error) {
      throw new AppError("provider_bad_response", {
        message: `${ctx.label} reported an error in the middle of its reply: "${redactSecrets(chunk.error.message, ctx.secrets)}". Try again or pick another model`,
        details: { provider: ctx.kind },
      });
    }
    if (chunk.model) model = chunk.model;
    if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      const piece = choice.delta?.content ?? choice.delta?.refusal ?? "";
      if (piece) {
        text += piece;
        request.onDelta?.(piece);
      }
      if (choice.finish_reason) providerFinishReason = choice.finish_reason;
    }
  }
  if (!done && providerFinishReason === null) {
    throw new AppError("provider_bad_response", {
      message: `${ctx.label} ended its streamed reply before it was complete (no finish reason and no [DONE]${text ? "" : ", and no text"}): try again, or turn streaming off for this provider`,
      details: { provider: ctx.kind, receivedChars: text.length },
    });
  }
  return { text, model, finishReason: mapFinishReason(providerFinishReason ?? "stop"), providerFinishReason, usage };
}

/** Maps an OpenAI-compatible `finish_reason` to ours. */
export function mapFinishReason(reason: string | null): TFinishReason {
  switch (reason) {
    case "stop":
    case "eos":
      return "stop";
    case "length":
      return "length";
    case "content_filter":
      return "content_filter";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    default:
      return "other";
  }
}
