import { describe, expect, it } from "vitest";
import { computeRetryDelay, parseRetryAfter } from "./compute-retry-delay.ts";
import { ZProviderRetry } from "./provider-types.ts";

const retry = ZProviderRetry.parse({ baseDelayMs: 1000, maxDelayMs: 5000, maxRetryAfterMs: 30_000 });
const now = Date.parse("2026-11-21T09:00:00Z");

describe("parseRetryAfter", () => {
  it("reads seconds, an HTTP date and OpenAI's retry-after-ms", () => {
    expect(parseRetryAfter({ retryAfter: "3" }, now)).toBe(3000);
    expect(parseRetryAfter({ retryAfter: new Date(now + 9000).toUTCString() }, now)).toBe(9000);
    expect(parseRetryAfter({ retryAfter: "3", retryAfterMs: "120" }, now)).toBe(120);
  });

  it("returns null for a missing or unreadable value and 0 for a date in the past", () => {
    expect(parseRetryAfter({}, now)).toBeNull();
    expect(parseRetryAfter({ retryAfter: "soon" }, now)).toBeNull();
    expect(parseRetryAfter({ retryAfter: new Date(now - 5000).toUTCString() }, now)).toBe(0);
  });
});

describe("computeRetryDelay", () => {
  it("doubles the back-off per attempt up to the cap, with jitter within the upper half", () => {
    expect(computeRetryDelay({ attempt: 1, retry, retryAfterMs: null, random: () => 0 })).toBe(500);
    expect(computeRetryDelay({ attempt: 2, retry, retryAfterMs: null, random: () => 0.999 })).toBe(1999);
    expect(computeRetryDelay({ attempt: 6, retry, retryAfterMs: null, random: () => 0 })).toBe(2500);
  });

  it("prefers Retry-After and caps it", () => {
    expect(computeRetryDelay({ attempt: 1, retry, retryAfterMs: 12_000, random: () => 0.7 })).toBe(12_000);
    expect(computeRetryDelay({ attempt: 1, retry, retryAfterMs: 600_000, random: () => 0.7 })).toBe(30_000);
  });
});
