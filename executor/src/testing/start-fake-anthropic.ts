import { sendJson, sendSse, sseEvent, startFakeServer, type TFakeServer } from "./start-fake-server.ts";

/** How the fake Anthropic server behaves: the one key it accepts, the models it knows and what it answers. */
export type TFakeAnthropicOptions = {
  apiKey: string;
  /** Models it serves; any other answers 404 `not_found_error` like the real API. Default: claude-sonnet-4-0. */
  models?: readonly string[];
  /** The assistant's text. Default "OK". */
  reply?: string;
};

type TMessagesBody = { model?: string; stream?: boolean };

/**
 * Starts a fake of Anthropic's Messages API (`POST /v1/messages`) on a free port: a wrong
 * `x-api-key` gets 401 `authentication_error`, an unknown model 404 `not_found_error`, anything
 * else the reply (as JSON, or as SSE events when `stream` is true). Requests are recorded.
 */
export async function startFakeAnthropic(options: TFakeAnthropicOptions): Promise<TFakeServer> {
  const models = options.models ?? ["claude-sonnet-4-0"];
  const reply = options.reply ?? "OK";
  return startFakeServer((request, res) => {
    const body = (request.body ?? {}) as TMessagesBody;
    if (request.method !== "POST" || request.url !== "/v1/messages") {
      sendJson(res, 404, { type: "error", error: { type: "not_found_error", message: `Not found: ${request.method} ${request.url}` } });
      return;
    }
    if (request.headers["x-api-key"] !== options.apiKey) {
      sendJson(res, 401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
      return;
    }
    const model = body.model ?? "";
    if (!models.includes(model)) {
      sendJson(res, 404, { type: "error", error: { type: "not_found_error", message: `model: ${model}` } });
      return;
    }
    const usage = { input_tokens: 12, output_tokens: 2 };
    if (body.stream) {
      sendSse(res, [
        sseEvent(
          { type: "message_start", message: { model, usage: { input_tokens: usage.input_tokens, output_tokens: 0 } } },
          "message_start",
        ),
        sseEvent({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
        sseEvent({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: reply } }, "content_block_delta"),
        sseEvent({ type: "content_block_stop", index: 0 }, "content_block_stop"),
        sseEvent(
          { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: usage.output_tokens } },
          "message_delta",
        ),
        sseEvent({ type: "message_stop" }, "message_stop"),
      ]);
      return;
    }
    sendJson(res, 200, {
      id: `msg_fake_${Date.now()}`,
      type: "message",
      role: "assistant",
      model,
      content: [{ type: "text", text: reply }],
      stop_reason: "end_turn",
      usage,
    });
  });
}
