import { Writable } from "node:stream";
import { AppError } from "@mission-control/shared/errors";
import pino from "pino";
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
import { createProvider } from "./create-provider.ts";
import type { TProvider, TProviderConfigInput } from "./provider-types.ts";

const KEY = "sk-test-SECRET-0123456789abcdef";
const messages = [
  { role: "system" as const, content: "You are Nova." },
  { role: "user" as const, content: "Say hello" },
];

let server: TFakeServer | null = null;
let provider: TProvider | null = null;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = null;
  server = null;
});

async function setUp(
  handlers: TFakeHandler | TFakeHandler[],
  config: Partial<Extract<TProviderConfigInput, { kind: "openai_compatible" }>> = {},
) {
  server = await startFakeServer(handlers);
  const clock = recordingSleep();
  provider = createProvider(
    { kind: "openai_compatible", baseUrl: `${server.url}/v1`, apiKey: KEY, ...config },
    { sleep: clock.sleep, random: () => 0.5, now: () => Date.parse("2026-11-21T09:00:00Z") },
  );
  return { server, provider, waits: clock.waits };
}

function reply(text: string, extra: Record<string, unknown> = {}) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    model: "gpt-test-2026",
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 },
    ...extra,
  };
}

function chunk(content: string | null, finish: string | null = null) {
  return {
    id: "c1",
    object: "chat.completion.chunk",
    model: "gpt-test-2026",
    choices: [{ index: 0, delta: { content }, finish_reason: finish }],
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("completeOpenAiCompatible", () => {
  it("posts the chat to /chat/completions and returns the non-streamed reply with the server's usage", async () => {
    const { server, provider } = await setUp((_req, res) => sendJson(res, 200, reply("Hello!")));
    const result = await provider.complete({ model: "gpt-test", messages, temperature: 0.3, maxOutputTokens: 50 });
    expect(result).toMatchObject({
      text: "Hello!",
      model: "gpt-test-2026",
      provider: "openai_compatible",
      usage: { inputTokens: 21, outputTokens: 3, estimated: false },
      finishReason: "stop",
      offline: false,
      attempts: 1,
    });
    const request = server.requests[0];
    expect(request?.url).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.body).toEqual({ model: "gpt-test", messages, stream: false, temperature: 0.3, max_tokens: 50 });
  });

  it("sends no Authorization header when no key is configured", async () => {
    const { server, provider } = await setUp((_req, res) => sendJson(res, 200, reply("hi")), { apiKey: undefined, keyless: true });
    await provider.complete({ model: "llama3", messages });
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("streams deltas in order and takes usage from the final chunk", async () => {
    const { server, provider } = await setUp((_req, res) =>
      sendSse(res, [
        sseEvent({ ...chunk(""), choices: [{ index: 0, delta: { role: "assistant" }, finish_reason: null }] }),
        sseEvent(chunk("Hel")),
        ": keep-alive comment\n\n",
        sseEvent(chunk("lo, ")),
        sseEvent(chunk("operator")),
        sseEvent(chunk(null, "stop")),
        sseEvent({
          id: "c1",
          object: "chat.completion.chunk",
          model: "gpt-test-2026",
          choices: [],
          usage: { prompt_tokens: 30, completion_tokens: 4 },
        }),
        "data: [DONE]\n\n",
      ]),
    );
    const deltas: string[] = [];
    const result = await provider.complete({ model: "gpt-test", messages, onDelta: (d) => deltas.push(d) });
    expect(deltas).toEqual(["Hel", "lo, ", "operator"]);
    expect(result.text).toBe("Hello, operator");
    expect(result.usage).toEqual({ inputTokens: 30, outputTokens: 4, estimated: false });
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("counts tokens itself when a streamed reply carries no usage", async () => {
    const { provider } = await setUp((_req, res) =>
      sendSse(res, [sseEvent(chunk("Hello there")), sseEvent(chunk(null, "length")), "data: [DONE]\n\n"]),
    );
    const result = await provider.complete({ model: "llama3", messages, stream: true });
    expect(result.usage.estimated).toBe(true);
    expect(result.usage.outputTokens).toBe(2);
    expect(result.usage.inputTokens).toBeGreaterThan(5);
    expect(result.finishReason).toBe("length");
  });

  it("calls onDelta once with the whole text when streaming is turned off", async () => {
    const { provider } = await setUp((_req, res) => sendJson(res, 200, reply("All at once")));
    const deltas: string[] = [];
    await provider.complete({ model: "m", messages, stream: false, onDelta: (d) => deltas.push(d) });
    expect(deltas).toEqual(["All at once"]);
  });

  it("waits as long as Retry-After says after a 429, then succeeds on the second attempt", async () => {
    const { server, provider, waits } = await setUp([
      (_req, res) => sendJson(res, 429, { error: { message: "Rate limit reached" } }, { "retry-after": "7" }),
      (_req, res) => sendJson(res, 200, reply("after the wait")),
    ]);
    const result = await provider.complete({ model: "m", messages });
    expect(result.text).toBe("after the wait");
    expect(result.attempts).toBe(2);
    expect(waits).toEqual([7000]);
    expect(server.requests).toHaveLength(2);
  });

  it("logs each retry with its facts and never the key", async () => {
    const lines: string[] = [];
    const log = pino(
      { level: "warn" },
      new Writable({
        write: (chunk, _enc, done) => {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    server = await startFakeServer([
      (_req, res) => sendJson(res, 503, { error: { message: `overloaded for ${KEY}` } }),
      (_req, res) => sendJson(res, 200, reply("ok")),
    ]);
    provider = createProvider({ kind: "openai_compatible", baseUrl: `${server.url}/v1`, apiKey: KEY }, { sleep: async () => {}, log });
    await provider.complete({ model: "m", messages });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
      provider: "openai_compatible",
      attempt: 1,
      status: 503,
      msg: "provider call failed, retrying",
    });
    expect(lines.join("")).not.toContain(KEY);
  });

  it("says to check the base URL and model on a 404", async () => {
    const { provider } = await setUp((_req, res) => sendJson(res, 404, { error: { message: "The model `gpt-9` does not exist" } }));
    const err = await rejection(provider.complete({ model: "gpt-9", messages }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("The model `gpt-9` does not exist");
    expect(err.message).toContain("check the base URL (http://127.0.0.1:");
  });

  it("honours a Retry-After given as an HTTP date, capped at maxRetryAfterMs", async () => {
    const retryAt = new Date(Date.parse("2026-11-21T09:00:00Z") + 12_000).toUTCString();
    const { waits } = await setUp(
      [
        (_req, res) => sendJson(res, 429, { error: { message: "slow down" } }, { "retry-after": retryAt }),
        (_req, res) => sendJson(res, 200, reply("ok")),
      ],
      { retry: { maxRetryAfterMs: 10_000 } },
    );
    await provider?.complete({ model: "m", messages });
    expect(waits).toEqual([10_000]);
  });

  it("retries two 500s with growing back-off and succeeds on the third attempt", async () => {
    const { server, provider, waits } = await setUp([
      (_req, res) => sendJson(res, 500, { error: { message: "boom" } }),
      (_req, res) => sendJson(res, 500, { error: { message: "boom" } }),
      (_req, res) => sendJson(res, 200, reply("third time lucky")),
    ]);
    const result = await provider.complete({ model: "m", messages });
    expect(result.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    // base 500 ms, random 0.5 → 250 + 125; then 1000 ms → 500 + 250
    expect(waits).toEqual([375, 750]);
  });

  it("gives up after maxAttempts 503s with provider_unreachable and the provider's message", async () => {
    const { server, provider } = await setUp((_req, res) => sendJson(res, 503, { error: { message: "Service Unavailable" } }), {
      retry: { maxAttempts: 2 },
    });
    const err = await rejection(provider.complete({ model: "m", messages }));
    expect(err.code).toBe("provider_unreachable");
    expect(err.message).toContain("HTTP 503 after 2 attempts");
    expect(err.message).toContain("Service Unavailable");
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry a 401 and says to check the key without ever showing it", async () => {
    const { server, provider, waits } = await setUp((_req, res) =>
      sendJson(res, 401, {
        error: { message: `Incorrect API key provided: ${KEY}`, type: "invalid_request_error", code: "invalid_api_key" },
      }),
    );
    const err = await rejection(provider.complete({ model: "m", messages }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("HTTP 401");
    expect(err.message).toContain("Incorrect API key provided");
    expect(err.message).toContain("check the API key");
    expect(err.message).not.toContain(KEY);
    expect(JSON.stringify(err.details)).not.toContain(KEY);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("reports a reply that is not JSON as provider_bad_response", async () => {
    const { provider } = await setUp((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("<html>Bad gateway</html>");
    });
    const err = await rejection(provider.complete({ model: "m", messages }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("not valid JSON");
  });

  it("reports a reply of the wrong shape naming the field", async () => {
    const { provider } = await setUp((_req, res) => sendJson(res, 200, { choices: [{ message: { content: 42 } }] }));
    const err = await rejection(provider.complete({ model: "m", messages }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("choices.0.message.content");
  });

  it("reports an SSE stream of garbage as provider_bad_response", async () => {
    const { provider } = await setUp((_req, res) => sendSse(res, ["data: {not json at all\n\n"]));
    const err = await rejection(provider.complete({ model: "m", messages, stream: true }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("not valid JSON");
  });

  it("reports a stream that ends without content or [DONE] as provider_bad_response", async () => {
    const { provider } = await setUp((_req, res) => sendSse(res, ["hello\nthis is not sse\n\n"]));
    const err = await rejection(provider.complete({ model: "m", messages, stream: true }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("before it was complete");
  });

  it("reports a stream that finishes with no text as provider_bad_response", async () => {
    const { provider } = await setUp((_req, res) => sendSse(res, [sseEvent(chunk(null, "length")), "data: [DONE]\n\n"]));
    const err = await rejection(provider.complete({ model: "m", messages, stream: true }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("raise the agent's max output tokens");
  });

  it("surfaces an error object sent in the middle of a stream", async () => {
    const { provider } = await setUp((_req, res) =>
      sendSse(res, [sseEvent(chunk("partial")), sseEvent({ error: { message: "upstream model crashed" } })]),
    );
    const err = await rejection(provider.complete({ model: "m", messages, stream: true }));
    expect(err.code).toBe("provider_bad_response");
    expect(err.message).toContain("upstream model crashed");
  });

  it("fails with provider_timeout when the server sends no headers in time", async () => {
    const { server, provider } = await setUp(() => {}, { timeouts: { headersMs: 150 }, retry: { maxAttempts: 2 } });
    const err = await rejection(provider.complete({ model: "m", messages }));
    expect(err.code).toBe("provider_timeout");
    expect(err.message).toContain("150 ms");
    expect(err.details.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it("fails with provider_timeout when the stream goes silent for longer than bodyMs", async () => {
    const { provider } = await setUp((_req, res) => sendSse(res, [sseEvent(chunk("then silence"))], { keepOpen: true }), {
      timeouts: { bodyMs: 150 },
    });
    const deltas: string[] = [];
    const err = await rejection(provider.complete({ model: "m", messages, onDelta: (d) => deltas.push(d) }));
    expect(err.code).toBe("provider_timeout");
    expect(err.message).toContain("went silent for 150 ms");
    expect(deltas).toEqual(["then silence"]);
  });

  it("fails with provider_timeout when the whole call outlives totalMs", async () => {
    const { provider } = await setUp((_req, res) => sendSse(res, [sseEvent(chunk("slow"))], { keepOpen: true }), {
      timeouts: { totalMs: 200 },
    });
    const err = await rejection(provider.complete({ model: "m", messages, stream: true }));
    expect(err.code).toBe("provider_timeout");
    expect(err.message).toContain("200 ms");
  });

  it("cancels cleanly on abort: rejects with the signal's reason, closes the connection, does not retry", async () => {
    const controller = new AbortController();
    const { server, provider } = await setUp((_req, res) => sendSse(res, [sseEvent(chunk("first"))], { keepOpen: true }));
    const reason = new Error("operator cancelled");
    const done = provider.complete({
      model: "m",
      messages,
      signal: controller.signal,
      onDelta: () => controller.abort(reason),
    });
    await expect(done).rejects.toBe(reason);
    await server.clientAborted;
    expect(server.requests).toHaveLength(1);
  });

  it("rejects at once when the signal is already aborted, without calling the server", async () => {
    const { server, provider } = await setUp((_req, res) => sendJson(res, 200, reply("never")));
    const controller = new AbortController();
    controller.abort();
    await expect(provider.complete({ model: "m", messages, signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
    expect(server.requests).toHaveLength(0);
  });

  it("reports a refused connection as provider_unreachable after the configured attempts", async () => {
    const clock = recordingSleep();
    provider = createProvider(
      { kind: "openai_compatible", baseUrl: "http://127.0.0.1:1/v1", keyless: true, retry: { maxAttempts: 2 } },
      { sleep: clock.sleep },
    );
    const err = await rejection(provider.complete({ model: "m", messages }));
    expect(err.code).toBe("provider_unreachable");
    expect(err.message).toContain("http://127.0.0.1:1/v1");
    expect(clock.waits).toHaveLength(1);
  });
});
