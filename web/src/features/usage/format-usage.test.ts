import { describe, expect, it } from "vitest";
import { formatDay, formatTokens, formatTokensCompact, formatUsd } from "./format-usage.ts";

describe("formatUsd", () => {
  it("shows unknown spend as a dash and keeps small per-call costs visible", () => {
    expect(formatUsd(null)).toBe("—");
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(12.345)).toBe("$12.35");
    expect(formatUsd(1234.5)).toBe("$1,234.50");
    expect(formatUsd(0.15)).toBe("$0.15");
    expect(formatUsd(0.5224)).toBe("$0.5224");
    expect(formatUsd(0.8)).toBe("$0.80");
    expect(formatUsd(0.0042)).toBe("$0.0042");
    expect(formatUsd(0.00001)).toBe("<$0.0001");
  });
});

describe("token and day formats", () => {
  it("writes tokens in full or compact for an axis, and days in UTC", () => {
    expect(formatTokens(1234567.4)).toBe("1,234,567");
    expect(formatTokensCompact(1_250_000)).toBe("1.3M");
    expect(formatDay("2026-11-01")).toBe("Nov 1");
  });
});
