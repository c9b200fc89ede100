import type { Logger } from "pino";
import { computeBackoff } from "./compute-backoff.ts";
import { createWakeup } from "./create-wakeup.ts";
import type { TWorkerState } from "./worker-state.ts";

/** After a wake-up whose claim found nothing, look again after these delays (the commit may not be visible yet). */
const HINT_RETRY_DELAYS_MS = [2, 10, 40];

/** The claim-and-run loop the delivery and approval workers share. */
export interface TClaimLoop<TRow> {
  readonly state: TWorkerState;
  /** Rows being processed now. */
  readonly inFlight: number;
  /** The ids of the rows being processed now. */
  inFlightIds(): string[];
  start(): void;
  /** A hint that work is waiting (realtime, Control API, a due retry): claim now, and look again shortly if nothing is visible yet. */
  hint(): void;
  /** True while the loop starts or runs, i.e. may still take on work. */
  readonly accepting: boolean;
  /** Runs rows claimed outside the loop (e.g. for one message or proposal). */
  adopt(rows: readonly TRow[]): void;
  /**
   * Reserves slots for a claim made elsewhere along with finishing `finishing` rows in flight (whose
   * slots it may reuse): `limit` is how many rows that claim may take (0 when stopping). Call
   * `settle` with what it claimed (null when the call failed): the rows run, the reservation ends.
   */
  reserve(finishing: number): { limit: number; settle(rows: readonly TRow[] | null): void };
  /** Resolves when nothing is in flight. */
  idle(): Promise<void>;
  /**
   * Stops claiming and waits up to `timeoutMs` for rows in flight, then aborts the signal their
   * jobs got and waits for them to settle. Resolves false when it had to abort. Leaves the state
   * at `stopping`; the owner finishes its own clean-up and calls `markStopped()`.
   */
  drain(timeoutMs: number): Promise<boolean>;
  markStopped(): void;
}

/**
 * A worker loop with explicit states (created → starting → running → stopping → stopped): claims
 * with skip-locked as many rows as there are free slots, waits on an abortable doorbell rung by
 * hints and freed slots, polls every `pollIntervalMs` as the fallback, and backs off exponentially
 * after a failed claim. `run` must not throw for expected failures; a rejection is logged.
 */
export function createClaimLoop<TRow extends { id: string }>(options: {
  /** Plural noun for log lines, e.g. "deliveries". */
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
  const wakeup = createWakeup();
  const loopAbort = new AbortController();
  const jobsAbort = new AbortController();
  const inFlight = new Map<string, Promise<void>>();
  const idleWaiters = new Set<() => void>();
  let state: TWorkerState = "created";
  let loopDone: Promise<void> = Promise.resolve();
  let moreMayBeWaiting = true;
  let hinted = false;
  let hintRetries = 0;
  /** Slots the loop's own claim in flight asked for. */
  let loopClaiming = 0;
  /** Slots promised to claims made elsewhere, beyond the slots of the rows they finish. */
  let reservedExtra = 0;

  const run = (row: TRow) => {
    if (inFlight.has(row.id)) return;
    const job = options
      .run(row, jobsAbort.signal)
      .catch((err: unknown) => options.onRunError(err, row))
      .finally(() => {
        inFlight.delete(row.id);
        if (moreMayBeWaiting) wakeup.wake();
        if (inFlight.size === 0) for (const resolve of idleWaiters) resolve();
      });
    inFlight.set(row.id, job);
  };

  const loop = async () => {
    state = "running";
    let failures = 0;
    while (state === "running") {
      const free = options.concurrency - inFlight.size - reservedExtra;
      if (free > 0) {
        try {
          const wasHinted = hinted;
          hinted = false;
          loopClaiming = free;
          const claimed = await options.claim(free);
          failures = 0;
          moreMayBeWaiting = claimed.length === free;
          for (const row of claimed) run(row);
          // Only now: until the claimed rows count as in flight, a reservation must not hand out their slots.
          loopClaiming = 0;
          if (moreMayBeWaiting) continue;
          if (claimed.length === 0 && (wasHinted || hintRetries > 0) && hintRetries < HINT_RETRY_DELAYS_MS.length) {
            // A wake-up can arrive a moment before its commit is visible to other sessions: look again shortly.
            const delayMs = HINT_RETRY_DELAYS_MS[hintRetries] ?? options.pollIntervalMs;
            hintRetries += 1;
            if ((await wakeup.wait(delayMs, loopAbort.signal)) === "aborted") break;
            continue;
          }
          hintRetries = 0;
        } catch (err) {
          loopClaiming = 0;
          failures += 1;
          const delayMs = computeBackoff({ attempt: failures, baseMs: options.pollIntervalMs, maxMs: 30_000 });
          log.error({ err, failures, delayMs }, `claiming ${options.what} failed; backing off`);
          if ((await wakeup.wait(delayMs, loopAbort.signal)) === "aborted") break;
          continue;
        }
      }
      if ((await wakeup.wait(options.pollIntervalMs, loopAbort.signal)) === "aborted") break;
    }
  };

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
    inFlightIds: () => [...inFlight.keys()],
    start() {
      if (state !== "created") return;
      state = "starting";
      loopDone = loop();
    },
    hint() {
      hinted = true;
      hintRetries = 0;
      wakeup.wake();
    },
    get accepting() {
      return state === "running" || state === "starting";
    },
    adopt(rows) {
      for (const row of rows) run(row);
    },
    reserve(finishing) {
      if (state !== "running" && state !== "starting") return { limit: 0, settle: () => {} };
      const limit = Math.max(0, options.concurrency - inFlight.size - reservedExtra - loopClaiming + finishing);
      const extra = Math.max(0, limit - finishing);
      reservedExtra += extra;
      let settled = false;
      return {
        limit,
        settle(rows) {
          if (settled) return;
          settled = true;
          reservedExtra -= extra;
          // After the shutdown deadline aborted the jobs, rows claimed now are not started: the stop releases them.
          if (!rows || jobsAbort.signal.aborted) return;
          moreMayBeWaiting = rows.length === limit;
          for (const row of rows) run(row);
        },
      };
    },
    idle,
    async drain(timeoutMs) {
      state = "stopping";
      loopAbort.abort();
      await loopDone;
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
