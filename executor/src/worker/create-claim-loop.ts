import { setMaxListeners } from "node:events";
import type { Logger } from "pino";
import { createClaimPoller } from "./create-claim-poller.ts";
import { moveWorkerState, type TWorkerState } from "./worker-state.ts";

/** The claim-and-run loop of the approval worker: a row is in flight from its claim until its job settles. */
export interface TClaimLoop<TRow> {
  readonly state: TWorkerState;
  /** Rows being processed now. */
  readonly inFlight: number;
  start(): void;
  /** A hint that work is waiting (realtime, Control API): claim now, and look again shortly if nothing is visible yet. */
  hint(): void;
  /** True while the loop starts or runs, i.e. may still take on work. */
  readonly accepting: boolean;
  /** Runs rows claimed outside the loop (e.g. for one proposal). */
  adopt(rows: readonly TRow[]): void;
  /** Resolves when nothing is in flight. */
  idle(): Promise<void>;
  /** Resolves once claims have been quiet for `quietMs` (after `maxWaitMs` at the latest): see createClaimPoller. */
  intakeSettled(options: { quietMs: number; maxWaitMs: number }): Promise<void>;
  /**
   * Stops claiming and waits up to `timeoutMs` for rows in flight, then aborts the signal their
   * jobs got and waits for them to settle. Resolves false when it had to abort. Leaves the state
   * at `stopping`; the owner finishes its own clean-up and calls `markStopped()`.
   */
  drain(timeoutMs: number): Promise<boolean>;
  markStopped(): void;
}

/**
 * A worker loop with explicit states (created → starting → running → stopping → stopped) that
 * claims with skip-locked as many rows as there are free slots (see createClaimPoller for when)
 * and runs each. `run` must not throw for expected failures; a rejection is logged.
 */
export function createClaimLoop<TRow extends { id: string }>(options: {
  /** Plural noun for log lines, e.g. "approved proposals". */
  what: string;
  concurrency: number;
  pollIntervalMs: number;
  log: Logger;
  claim: (limit: number) => Promise<TRow[]>;
  run: (row: TRow, signal: AbortSignal) => Promise<void>;
  /** Logged when `run` rejects, with the row's id. */
  onRunError: (err: unknown, row: TRow) => void;
}): TClaimLoop<TRow> {
  const { log } = options;
  const jobsAbort = new AbortController();
  // Every job in flight listens to this one signal: as many listeners as slots is expected, not a leak.
  setMaxListeners(options.concurrency + 10, jobsAbort.signal);
  const inFlight = new Map<string, Promise<void>>();
  const idleWaiters = new Set<() => void>();
  let state: TWorkerState = "created";

  const poller = createClaimPoller({
    what: options.what,
    pollIntervalMs: options.pollIntervalMs,
    log,
    free: () => options.concurrency - inFlight.size,
    claim: async (limit) => {
      const claimed = await options.claim(limit);
      for (const row of claimed) run(row);
      return claimed.length;
    },
  });

  function run(row: TRow): void {
    if (inFlight.has(row.id)) return;
    const job = options
      .run(row, jobsAbort.signal)
      .catch((err: unknown) => options.onRunError(err, row))
      .finally(() => {
        inFlight.delete(row.id);
        poller.slotFreed();
        if (inFlight.size === 0) for (const resolve of idleWaiters) resolve();
      });
    inFlight.set(row.id, job);
  }

  const idle = () =>
    inFlight.size === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const done = () => {
            idleWaiters.delete(done);
            resolve();
          };
          idleWaiters.add(done);
        });

  return {
    get state() {
      return state;
    },
    get inFlight() {
      return inFlight.size;
    },
    start() {
      if (state !== "created") return;
      state = "starting";
      poller.start();
      state = moveWorkerState(`${options.what} loop`, state, ["starting"], "running");
    },
    hint: () => poller.hint(),
    get accepting() {
      return state === "running" || state === "starting";
    },
    adopt(rows) {
      for (const row of rows) run(row);
    },
    idle,
    intakeSettled: (options) => poller.intakeSettled(options),
    async drain(timeoutMs) {
      state = moveWorkerState(`${options.what} loop`, state, ["starting", "running"], "stopping");
      await poller.stop();
      const drained = await Promise.race([
        idle().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
      ]);
      if (!drained) {
        log.warn({ inFlight: inFlight.size, timeoutMs }, `${options.what} still running at the shutdown deadline; aborting them`);
        jobsAbort.abort(new Error("executor is shutting down"));
        await Promise.allSettled([...inFlight.values()]);
      }
      return drained;
    },
    markStopped() {
      state = "stopped";
    },
  };
}
