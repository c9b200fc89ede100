import type { Logger } from "pino";
import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import { computeBackoff } from "../worker/compute-backoff.ts";
import { createWakeup } from "../worker/create-wakeup.ts";
import type { TWorkerState } from "../worker/worker-state.ts";
import { claimDeliveries } from "./claim-deliveries.ts";
import type { TDeliveryOutcome } from "./process-delivery.ts";
import { releaseDeliveries } from "./release-deliveries.ts";

/** After a wake-up whose claim found nothing, the worker looks again after these delays before falling back to polling. */
const HINT_RETRY_DELAYS_MS = [2, 10, 40];

/** What the worker reports when it stops. */
export type TWorkerStopReport = { finished: number; aborted: number; released: number };

/** The chat delivery worker: claims queued deliveries and runs up to `concurrency` at once. */
export interface TDeliveryWorker {
  readonly state: TWorkerState;
  /** Deliveries being processed now. */
  readonly inFlight: number;
  start(): void;
  /** Claims at once (a realtime event or the Control API saw new work). */
  wake(): void;
  /** Wakes the worker when `availableAt` (a delayed retry) comes due. */
  wakeAt(availableAt: Date): void;
  /** Claims the deliveries of one message now and starts them; returns what was claimed. */
  claimMessage(messageId: string): Promise<TDeliveryRow[]>;
  /** Resolves when nothing is in flight (for tests and benchmarks). */
  idle(): Promise<void>;
  /**
   * Stops claiming, waits up to `timeoutMs` for deliveries in flight, aborts the rest and puts
   * them back in the queue (release_chat_deliveries) without counting the attempt.
   */
  stop(options: { timeoutMs: number }): Promise<TWorkerStopReport>;
}

/**
 * Creates the worker loop: explicit states (created → starting → running → stopping → stopped),
 * claims with skip-locked as many as there are free slots, waits on an abortable doorbell rung by
 * realtime, the Control API and freed slots, polls every `pollIntervalMs` as a fallback (which
 * also picks up delayed retries), and backs off exponentially after a failed claim.
 */
export function createDeliveryWorker(options: {
  db: TDb;
  executorId: string;
  concurrency: number;
  pollIntervalMs: number;
  log: Logger;
  process: (delivery: TDeliveryRow, signal: AbortSignal) => Promise<TDeliveryOutcome>;
}): TDeliveryWorker {
  const log = options.log.child({ worker: "delivery" });
  const wakeup = createWakeup();
  const loopAbort = new AbortController();
  const jobsAbort = new AbortController();
  const inFlight = new Map<string, Promise<void>>();
  const idleWaiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  let state: TWorkerState = "created";
  let loopDone: Promise<void> = Promise.resolve();
  let moreMayBeQueued = true;
  let hinted = false;
  let hintRetries = 0;
  let finished = 0;
  let aborted = 0;

  const run = (delivery: TDeliveryRow) => {
    if (inFlight.has(delivery.id)) return;
    const job = options
      .process(delivery, jobsAbort.signal)
      .then((outcome) => {
        if (outcome === "aborted") aborted += 1;
        else finished += 1;
      })
      .catch((err: unknown) => {
        // Nothing could be written (the database is down): the watchdog fails it later and it can be retried.
        log.error({ err, deliveryId: delivery.id }, "delivery could not be recorded; the watchdog will fail it");
        finished += 1;
      })
      .finally(() => {
        inFlight.delete(delivery.id);
        if (moreMayBeQueued) wakeup.wake();
        if (inFlight.size === 0) for (const resolve of idleWaiters) resolve();
      });
    inFlight.set(delivery.id, job);
  };

  /** A hint that work is queued (realtime, Control API, a due retry): claim now, and look again shortly if nothing is visible yet. */
  const hint = () => {
    hinted = true;
    hintRetries = 0;
    wakeup.wake();
  };

  const loop = async () => {
    state = "running";
    let failures = 0;
    while (state === "running") {
      const free = options.concurrency - inFlight.size;
      if (free > 0) {
        try {
          const wasHinted = hinted;
          hinted = false;
          const claimed = await claimDeliveries(options.db, { executorId: options.executorId, limit: free });
          failures = 0;
          moreMayBeQueued = claimed.length === free;
          for (const delivery of claimed) run(delivery);
          if (moreMayBeQueued) continue;
          if (claimed.length === 0 && (wasHinted || hintRetries > 0) && hintRetries < HINT_RETRY_DELAYS_MS.length) {
            // A wake-up can arrive a moment before its commit is visible to other sessions: look again shortly.
            const delayMs = HINT_RETRY_DELAYS_MS[hintRetries] ?? options.pollIntervalMs;
            hintRetries += 1;
            if ((await wakeup.wait(delayMs, loopAbort.signal)) === "aborted") break;
            continue;
          }
          hintRetries = 0;
        } catch (err) {
          failures += 1;
          const delayMs = computeBackoff({ attempt: failures, baseMs: options.pollIntervalMs, maxMs: 30_000 });
          log.error({ err, failures, delayMs }, "claiming deliveries failed; backing off");
          if ((await wakeup.wait(delayMs, loopAbort.signal)) === "aborted") break;
          continue;
        }
      }
      if ((await wakeup.wait(options.pollIntervalMs, loopAbort.signal)) === "aborted") break;
    }
  };

  const waitIdle = () =>
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
      loopDone = loop();
      log.info({ concurrency: options.concurrency, pollIntervalMs: options.pollIntervalMs }, "delivery worker running");
    },
    wake: hint,
    wakeAt(availableAt) {
      const delayMs = availableAt.getTime() - Date.now();
      if (delayMs <= 0 || delayMs > options.pollIntervalMs * 10) {
        if (delayMs <= 0) hint();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        hint();
      }, delayMs + 5);
      timers.add(timer);
    },
    async claimMessage(messageId) {
      if (state !== "running" && state !== "starting") return [];
      const claimed = await claimDeliveries(options.db, { executorId: options.executorId, limit: 50, messageId });
      for (const delivery of claimed) run(delivery);
      return claimed;
    },
    idle: waitIdle,
    async stop({ timeoutMs }) {
      if (state === "stopped" || state === "created") {
        state = "stopped";
        return { finished, aborted, released: 0 };
      }
      state = "stopping";
      loopAbort.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await loopDone;
      const drained = await Promise.race([
        waitIdle().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
      ]);
      if (!drained) {
        log.warn({ inFlight: inFlight.size, timeoutMs }, "deliveries still running at the shutdown deadline; aborting them");
        jobsAbort.abort(new Error("executor is shutting down"));
        await Promise.allSettled([...inFlight.values()]);
      }
      let released = 0;
      try {
        released = await releaseDeliveries(options.db, options.executorId);
      } catch (err) {
        log.error({ err }, "could not release unfinished deliveries; the watchdog will fail them and they can be retried");
      }
      state = "stopped";
      log.info({ finished, aborted, released }, "delivery worker stopped");
      return { finished, aborted, released };
    },
  };
}
