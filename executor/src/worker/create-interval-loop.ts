import type { Logger } from "pino";
import { computeBackoff } from "./compute-backoff.ts";
import { createWakeup } from "./create-wakeup.ts";
import type { TWorkerState } from "./worker-state.ts";

/** A loop that runs one task every `intervalMs` (watchdog, presence heartbeat). */
export interface TIntervalLoop {
  readonly state: TWorkerState;
  /** Runs the first tick at once, then one every interval; returns when the loop is running. */
  start(): void;
  /** Runs a tick now (ends the current wait). */
  runNow(): void;
  /** Stops the loop and waits for a running tick to finish. */
  stop(): Promise<void>;
}

/**
 * Creates a loop with explicit states, an abortable sleep between ticks, and back-off after a
 * failed tick (doubling from the interval up to 10× it), so a dead database is not hammered.
 */
export function createIntervalLoop(options: {
  name: string;
  intervalMs: number;
  log: Logger;
  tick: (signal: AbortSignal) => Promise<void>;
}): TIntervalLoop {
  const log = options.log.child({ loop: options.name });
  const wakeup = createWakeup();
  const abort = new AbortController();
  let state: TWorkerState = "created";
  let done: Promise<void> = Promise.resolve();

  const run = async () => {
    state = "running";
    let failures = 0;
    while (state === "running") {
      try {
        await options.tick(abort.signal);
        failures = 0;
      } catch (err) {
        failures += 1;
        if (abort.signal.aborted) break;
        log.error({ err, failures }, `${options.name} tick failed; backing off`);
      }
      const delay =
        failures === 0
          ? options.intervalMs
          : computeBackoff({ attempt: failures, baseMs: options.intervalMs, maxMs: options.intervalMs * 10 });
      if ((await wakeup.wait(delay, abort.signal)) === "aborted") break;
    }
  };

  return {
    get state() {
      return state;
    },
    start() {
      if (state !== "created") return;
      state = "starting";
      done = run();
    },
    runNow() {
      wakeup.wake();
    },
    async stop() {
      if (state === "stopped") return;
      if (state === "created") {
        state = "stopped";
        return;
      }
      state = "stopping";
      abort.abort();
      await done;
      state = "stopped";
    },
  };
}
