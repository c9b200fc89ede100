import { describe, expect, it } from "vitest";
import { executorRequiredReason } from "./executor-required.ts";
import { setProviderKey } from "./set-provider-key.ts";
import { describeTestAnswer, testProviderConnection } from "./test-provider-connection.ts";

const CONNECTION_ID = "8f1d3c52-6f0e-4a53-9d4e-0c8a4c2b7a11";
const base = { controlApiUrl: "http://control", accessToken: "jwt", connectionId: CONNECTION_ID };

function recordingFetch(status: number, body: unknown, calls: { url: string; init?: RequestInit }[]): typeof fetch {
  return async (url, init) => {
    calls.push({ url: String(url), init });
    return new Response(JSON.stringify(body), { status });
  };
}

describe("setProviderKey", () => {
  it("posts the key once with the operator's token and returns only its last four characters", async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    const last4 = await setProviderKey({
      ...base,
      apiKey: "  sk-test-1234567890abcd  ",
      fetch: recordingFetch(200, { connection_id: CONNECTION_ID, key_last4: "abcd" }, calls),
    });
    expect(last4).toEqual({ connection_id: CONNECTION_ID, key_last4: "abcd" });
    expect(calls[0]?.url).toBe(`http://control/api/providers/${CONNECTION_ID}/key`);
    expect(calls[0]?.init?.headers).toMatchObject({ authorization: "Bearer jwt" });
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ api_key: "sk-test-1234567890abcd" });
  });

  it("refuses a key that is too short before sending anything", async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    await expect(setProviderKey({ ...base, apiKey: "abc", fetch: recordingFetch(200, {}, calls) })).rejects.toThrow(
      "The API key looks too short to be an API key.",
    );
    expect(calls).toHaveLength(0);
  });

  it("keeps the executor's words when it refuses, and says to wait for Live when it does not answer", async () => {
    const envelope = { error: { code: "config_invalid", message: "Set PROVIDER_KEY_ENCRYPTION_KEY in the executor's environment" } };
    await expect(setProviderKey({ ...base, apiKey: null, fetch: recordingFetch(409, envelope, []) })).rejects.toMatchObject({
      code: "config_invalid",
      message: "Could not remove the key: Set PROVIDER_KEY_ENCRYPTION_KEY in the executor's environment",
    });
    const down: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    await expect(setProviderKey({ ...base, apiKey: "sk-test-1234567890", fetch: down })).rejects.toMatchObject({
      code: "control_api_unreachable",
      message: expect.stringMatching(/^Could not store the key: Control API unreachable .*Try again when the badge says Live\.$/),
    });
  });
});

describe("testProviderConnection", () => {
  it("returns a provider's refusal as an answer in words, not an error", async () => {
    const answer = { ok: false, message: "401: the key was refused by the provider", model: "gpt-4o-mini", latency_ms: 80, reply: null };
    const calls: { url: string; init?: RequestInit }[] = [];
    const result = await testProviderConnection({ ...base, fetch: recordingFetch(200, answer, calls) });
    expect(calls[0]?.url).toBe(`http://control/api/providers/${CONNECTION_ID}/test`);
    expect(describeTestAnswer(result)).toBe("401: the key was refused by the provider");
  });

  it("describes a working connection with its model, latency and reply", () => {
    expect(describeTestAnswer({ ok: true, message: "ok", model: "gpt-4o-mini", latency_ms: 412.6, reply: " OK " })).toBe(
      "OK · gpt-4o-mini · 413 ms · “OK”",
    );
  });
});

describe("executorRequiredReason", () => {
  it("enables executor-only buttons in Live mode only, and says why otherwise", () => {
    expect(executorRequiredReason("live")).toBeNull();
    expect(executorRequiredReason("backup")).toBe(
      "The executor is not reachable (Backup): keys are encrypted by the executor; try again when the badge says Live",
    );
    expect(executorRequiredReason("offline")).toMatch(/Offline/);
    expect(executorRequiredReason("checking")).toMatch(/Checking/);
  });
});
