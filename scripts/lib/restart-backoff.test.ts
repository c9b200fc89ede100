import { describe, expect, it } from "vitest";
import { createRestartBackoff } from "./restart-backoff.ts";

describe("createRestartBackoff", () => {
  it("waits 1 s, 2 s, 4 s … capped, and starts over after a run that lasted", () => {
    let clock = 0;
    const backoff = createRestartBackoff({ baseMs: 1_000, maxMs: 8_000, resetAfterMs: 60_000, now: () => clock });
    const crashAfter = (ms: number) => {
      backoff.started();
      clock += ms;
      return backoff.exited();
    };
    expect([1, 2, 3, 4, 5].map(() => crashAfter(100).delayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(crashAfter(59_999).delayMs).toBe(8_000);
    const healthy = crashAfter(60_000);
    expect(healthy).toEqual({ delayMs: 1_000, upMs: 60_000 });
    expect(crashAfter(10).delayMs).toBe(2_000);
  });
});
