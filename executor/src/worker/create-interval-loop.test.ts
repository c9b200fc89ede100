import pino from "pino";
import { describe, expect, it } from "vitest";
import { createIntervalLoop } from "./create-interval-loop.ts";

const log = pino({ level: "silent" });

describe("createIntervalLoop", () => {
  it("moves through its states and runs a tick at start and on demand", async () => {
    let ticks = 0;
    const loop = createIntervalLoop({ name: "test", intervalMs: 60_000, log, tick: async () => void ticks++ });
    expect(loop.state).toBe("created");
    loop.start();
    expect(loop.state).toBe("running");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ticks).toBe(1);
    loop.runNow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ticks).toBe(2);
    await loop.stop();
    expect(loop.state).toBe("stopped");
  });

  it("waits for a running tick when stopping", async () => {
    let finished = false;
    const loop = createIntervalLoop({
      name: "slow",
      intervalMs: 60_000,
      log,
      tick: async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        finished = true;
      },
    });
    loop.start();
    await loop.stop();
    expect(finished).toBe(true);
  });

  it("keeps running after a failed tick", async () => {
    let ticks = 0;
    const loop = createIntervalLoop({
      name: "failing",
      intervalMs: 5,
      log,
      tick: async () => {
        ticks += 1;
        if (ticks === 1) throw new Error("first tick fails");
      },
    });
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await loop.stop();
    expect(ticks).toBeGreaterThan(1);
  });
});
