import { AppError } from "@mission-control/shared/errors";
import { afterEach, describe, expect, it } from "vitest";
import {
  recordingSleep,
  sendJson,
  sendSse,
  sseEvent,
  startFakeServer,
  type TFakeHandler,
  type TFakeServer,
} from "../testing/start-fake-server.ts";
import { toAnthropicMessages } from "./complete-anthropic.ts";
import { createProvider } from "./create-provider.ts";
import type { TProvider } from "./provider-types.ts";

const KEY = "sk-ant-api03-SECRET-abcdefghijklmnop";
const messages = [
  { role: "system" as const, content: "You are Atlas." },
  { role: "user" as const, content: "Plan the week" },
];

let server: TFakeServer | null = null;
let provider: TProvider | null = null;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = null;
  server = null;
});

async function setUp(handlers: TFakeHandler | TFakeHandler[], retry: { maxAttempts?: number } = {}) {
  server = await startFakeServer(handlers);
  const clock = recordingSleep();
  provider = createProvider({ kind: "anthropic", baseUrl: server.url, apiKey: KEY, retry }, { sleep: clock.sleep, random: () => 0 });
  return { server, provider, waits: clock.waits };
}

const streamedReply = [
  sseEvent(
    {
      type: "message_start",
      message: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        content: [],
        model: "claude-test-1",
        stop_reason: null,
        usage: { input_tokens: 25, output_tokens: 1 },
      },
    },
    "message_start",
  ),
  sseEvent({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
  sseEvent({ type: "ping" }, "ping"),
  sseEvent({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Monday: " } }, "content_block_delta"),
  sseEvent({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "triage." } }, "content_block_delta"),
  sseEvent({ type: "content_block_stop", index: 0 }, "content_block_stop"),
  sseEvent(
    { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 6 } },
    "message_delta",
  ),
  sseEvent({ type: "message_stop" }, "message_stop"),
];

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("completeAnthropic", () => {
  it("posts to /v1/messages with the key and version headers and the system prompt at the top level", async () => {
    const { server, provider } = await setUp((_req, res) =>
      sendJson(res, 200, {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-test-1",
        content: [{ type: "text", text: "Here is the plan." }],
        stop_reason: "max_tokens",
        usage: { input_tokens: 17, output_tokens: 5 },
      }),
    );
    const result = await provider.complete({ model: "claude-test", messages, temperature: 1.5, maxOutputTokens: 300 });
    expect(result).toMatchObject({
      text: "Here is the plan.",
      model: "claude-test-1",
      provider: "anthropic",
      usage: { inputTokens: 17, outputTokens: 5, estimated: false },
      finishReason: "length",
    });
    const request = server.requests[0];
    expect(request?.url).toBe("/v1/messages");
    expect(request?.headers["x-api-key"]).toBe(KEY);
    expect(request?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual({
      model: "claude-test",
      max_tokens: 300,
      system: "You are Atlas.",
      messages: [{ role: "user", content: "Plan the week" }],
      stream: false,
      temperature: 1,
    });
  });

  it("streams text deltas in order and reads usage from message_start and message_delta", async () => {
    const { provider } = await setUp((_req, res) => sendSse(res, streamedReply));
    const deltas: string[] = [];
    const result = await provider.complete({ model: "claude-test", messages, onDelta: (d) => deltas.push(d) });
    expect(deltas).toEqual(["Monday: ", "triage."]);
    expect(result.text).toBe("Monday: triage.");
    expect(result.usage).toEqual({ inputTokens: 25, outputTokens: 6, estimated: false });
    expect(result.finishReason).toBe("stop");
  });

  it("takes input tokens from message_delta when a gateway reports 0 at message_start", async () => {
    const events = streamedReply.map((event) =>
      event
        .replace('"input_tokens":25', '"input_tokens":0')
        .replace('"usage":{"output_tokens":6}', '"usage":{"output_tokens":6,"input_tokens":31}'),
    );
    const { provider } = await setUp((_req, res) => sendSse(res, events));
    const result = await provider.complete({ model: "claude-test", messages, stream: true });
    expect(result.usage.inputTokens).toBe(31);
  });

  it("turns an error event in the stream into provider_unreachable when Anthropic is overloaded", async () => {
    const { provider } = await setUp((_req, res) =>
      sendSse(res, [
        ...streamedReply.slice(0, 4),
        sseEvent({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }, "error"),
      ]),
    );
    const err = await rejection(provider.complete({ model: "claude-test", messages, stream: true }));
    expect(err.code).toBe("provider_unreachable");
    expect(err.message).toContain("overloaded_error");
    expect(err.message).toContain("Overloaded");
  });

  it("retries a 529 overloaded response and then succeeds", async () => {
    const { server, provider, waits } = await setUp([
      (_req, res) => sendJson(res, 529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
      (_req, res) => sendSse(res, streamedReply),
    ]);
    const result = await provider.complete({ model: "claude-test", messages, stream: true });
    expect(result.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([250]);
  });

  it("reports a bad key with Anthropic's own message, once, without the key", async () => {
    const { server, provider } = await setUp((_req, res) =>
      sendJson(res, 401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }),
    );
    const err = await rejection(provider.complete({ model: "claude-test", messages }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("invalid x-api-key");
    expect(err.message).toContain("check the API key for Anthropic");
    expect(err.message).not.toContain(KEY);
    expect(server.requests).toHaveLength(1);
  });

  it("reports a text_delta without text as provider_bad_response", async () => {
    const { provider } = await setUp((_req, res) =>
      sendSse(res, [
        streamedReply[0] ?? "",
        sseEvent({ type: "content_block_delta", index: 0, delta: { type: "text_delta" } }, "content_block_delta"),
      ]),
    );
    const err = await rejection(provider.complete({ model: "claude-test", messages, stream: true }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("delta.text");
  });

  it("reports a stream cut before message_stop as provider_bad_response", async () => {
    const { provider } = await setUp((_req, res) => sendSse(res, streamedReply.slice(0, 4)));
    const err = await rejection(provider.complete({ model: "claude-test", messages, stream: true }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("before it was complete");
  });
});

describe("toAnthropicMessages", () => {
  it("lifts system messages out, merges same-role turns and starts with a user turn", () => {
    const converted = toAnthropicMessages([
      { role: "system", content: "Be brief." },
      { role: "assistant", content: "Earlier answer" },
      { role: "user", content: "one" },
      { role: "user", content: "two" },
      { role: "assistant", content: "   " },
      { role: "system", content: "Mission: ship." },
    ]);
    expect(converted.system).toBe("Be brief.\n\nMission: ship.");
    expect(converted.messages).toEqual([
      { role: "user", content: "(The conversation starts here.)" },
      { role: "assistant", content: "Earlier answer" },
      { role: "user", content: "one\n\ntwo" },
    ]);
  });
});
