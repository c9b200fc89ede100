import { describe, expect, it } from "vitest";
import { computeBackoff } from "./compute-backoff.ts";

describe("computeBackoff", () => {
  it("doubles from the base up to the cap", () => {
    const max = (attempt: number) => computeBackoff({ attempt, baseMs: 1_000, maxMs: 60_000, random: () => 1 });
    expect([1, 2, 3, 4, 7, 20].map(max)).toEqual([1_000, 2_000, 4_000, 8_000, 60_000, 60_000]);
  });

  it("keeps half of each delay fixed and jitters the other half", () => {
    expect(computeBackoff({ attempt: 3, baseMs: 1_000, maxMs: 60_000, random: () => 0 })).toBe(2_000);
    expect(computeBackoff({ attempt: 3, baseMs: 1_000, maxMs: 60_000, random: () => 0.5 })).toBe(3_000);
    for (let i = 0; i < 100; i++) {
      const delay = computeBackoff({ attempt: 2, baseMs: 100, maxMs: 1_000 });
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(200);
    }
  });
});
