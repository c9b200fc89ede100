import { describe, expect, it } from "vitest";
import { createWakeup } from "./create-wakeup.ts";

describe("createWakeup", () => {
  it("ends a wait at once when woken", async () => {
    const wakeup = createWakeup();
    const started = performance.now();
    const waiting = wakeup.wait(5_000, new AbortController().signal);
    wakeup.wake();
    expect(await waiting).toBe("woken");
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("keeps a wake that came while nobody waited for the next wait", async () => {
    const wakeup = createWakeup();
    wakeup.wake();
    expect(await wakeup.wait(5_000, new AbortController().signal)).toBe("woken");
    expect(await wakeup.wait(10, new AbortController().signal)).toBe("timeout");
  });

  it("ends with aborted when the signal aborts", async () => {
    const wakeup = createWakeup();
    const abort = new AbortController();
    const waiting = wakeup.wait(5_000, abort.signal);
    abort.abort();
    expect(await waiting).toBe("aborted");
    expect(await wakeup.wait(5_000, abort.signal)).toBe("aborted");
  });
});
