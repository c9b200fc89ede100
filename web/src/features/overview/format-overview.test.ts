import { describe, expect, it } from "vitest";
import { countOf, formatLatency, formatMinute, formatWaitShort, summarizeHistory } from "./format-overview.ts";

describe("formatLatency", () => {
  it("picks the unit the value needs", () => {
    expect(formatLatency(0)).toBe("0 ms");
    expect(formatLatency(849.6)).toBe("850 ms");
    expect(formatLatency(4_260)).toBe("4.2 s");
    expect(formatLatency(45_400)).toBe("45 s");
    expect(formatLatency(60_000)).toBe("1 min");
    expect(formatLatency(125_000)).toBe("2 min 5 s");
  });

  it("shows a minute without replies as a dash", () => {
    expect(formatLatency(null)).toBe("—");
    expect(formatLatency(Number.NaN)).toBe("—");
  });
});

describe("formatWaitShort", () => {
  it("keeps the tile's number short", () => {
    expect(formatWaitShort(5_000)).toBe("<1 min");
    expect(formatWaitShort(12 * 60_000 + 30_000)).toBe("12 min");
    expect(formatWaitShort(5 * 3_600_000)).toBe("5 h");
    expect(formatWaitShort(3 * 86_400_000)).toBe("3 d");
  });
});

describe("formatMinute and countOf", () => {
  it("labels a minute on a 24-hour clock", () => {
    expect(formatMinute("2026-12-01T09:05:00Z", "UTC")).toBe("09:05");
    expect(formatMinute("2026-12-01T23:59:00Z", "UTC")).toBe("23:59");
  });

  it("says one or many", () => {
    expect(countOf(1, "call", "calls")).toBe("1 call");
    expect(countOf(0, "call", "calls")).toBe("0 calls");
  });
});

describe("summarizeHistory", () => {
  const minute = (queued: number, replies: number, p95: number | null) => ({
    minute: "2026-12-01T09:05:00Z",
    queued,
    replies,
    p50_ms: p95,
    p95_ms: p95,
  });

  it("finds the deepest queue, counts the replies and keeps the slowest p95", () => {
    expect(summarizeHistory([minute(0, 2, 3_000), minute(4, 0, null), minute(1, 1, 9_000)])).toEqual({
      peakQueued: 4,
      replies: 3,
      worstP95: 9_000,
      hasData: true,
    });
  });

  it("says an hour without deliveries has nothing to chart", () => {
    expect(summarizeHistory([minute(0, 0, null), minute(0, 0, null)])).toEqual({
      peakQueued: 0,
      replies: 0,
      worstP95: null,
      hasData: false,
    });
    expect(summarizeHistory([]).hasData).toBe(false);
  });
});
