import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createClaimPoller } from "./create-claim-poller.ts";

/** A poller whose claims wait until the test answers them; `free` slots are set by the test. */
function controlledPoller(options: { free: number }) {
  const state = { free: options.free, claims: 0 };
  const pending: Array<(claimed: number) => void> = [];
  const poller = createClaimPoller({
    what: "test rows",
    pollIntervalMs: 60_000,
    log: pino({ level: "silent" }),
    free: () => state.free,
    claim: () => {
      state.claims += 1;
      return new Promise<number>((resolve) => pending.push(resolve));
    },
  });
  /** Answers the claim in flight (waiting until there is one). */
  const answer = async (claimed: number) => {
    while (pending.length === 0) await new Promise((resolve) => setImmediate(resolve));
    pending.shift()?.(claimed);
  };
  /** Stops the poller, answering a claim still in flight with nothing. */
  const stop = async () => {
    const stopped = poller.stop();
    for (const resolve of pending.splice(0)) resolve(0);
    await stopped;
  };
  return { poller, state, answer, stop };
}

/** Tracks whether a promise has settled yet. */
function watch(promise: Promise<void>) {
  const seen = { done: false };
  void promise.then(() => {
    seen.done = true;
  });
  return seen;
}

let running: { stop(): Promise<void> } | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

describe("createClaimPoller intakeSettled", () => {
  it("waits while a claim is in flight, and settles once claims have been quiet for quietMs", async () => {
    const controlled = controlledPoller({ free: 10 });
    const { poller, answer } = controlled;
    running = controlled;
    poller.start();
    const settled = poller.intakeSettled({ quietMs: 20, maxWaitMs: 60_000 });
    const seen = watch(settled);
    // The first claim is in flight: nothing settles until it is answered.
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(seen.done).toBe(false);
    await answer(3);
    await settled;
    expect(seen.done).toBe(true);
  });

  it("keeps waiting while hints keep claims going, until maxWaitMs", async () => {
    const controlled = controlledPoller({ free: 10 });
    const { poller, answer } = controlled;
    running = controlled;
    poller.start();
    await answer(0);
    // Quiet for a minute never happens here: only maxWaitMs can end the wait.
    const settled = watch(poller.intakeSettled({ quietMs: 60_000, maxWaitMs: 300 }));
    const startedAt = performance.now();
    // A burst: hint after hint, each claim answered as soon as it is made.
    while (!settled.done) {
      poller.hint();
      await answer(1);
    }
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(295);
  });

  it("settles at once when every slot is taken: nothing more can come in", async () => {
    const controlled = controlledPoller({ free: 2 });
    const { poller, answer, state } = controlled;
    running = controlled;
    poller.start();
    // The claim takes both slots (the worker's runs now hold them).
    state.free = 0;
    await answer(2);
    poller.hint();
    await poller.intakeSettled({ quietMs: 60_000, maxWaitMs: 60_000 });
  });
});
