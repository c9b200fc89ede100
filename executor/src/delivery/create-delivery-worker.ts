import type { Logger } from "pino";
import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import { createClaimLoop } from "../worker/create-claim-loop.ts";
import { createIntervalLoop } from "../worker/create-interval-loop.ts";
import type { TWorkerState } from "../worker/worker-state.ts";
import { claimDeliveries, type TClaimedDelivery } from "./claim-deliveries.ts";
import type { TClaimReservation } from "./create-reply-saver.ts";
import type { TDeliveryOutcome } from "./process-delivery.ts";
import { releaseDeliveries } from "./release-deliveries.ts";

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
  /**
   * Reserves slots for deliveries claimed along with saving `saving` replies (the reply saver's
   * claimAlong): the limit counts the slots those replies free plus any free now; 0 when stopping.
   */
  reserve(saving: number): TClaimReservation;
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
 * Creates the delivery worker on the shared claim loop (worker/create-claim-loop.ts): woken by
 * realtime, the Control API, freed slots and due retries (`wakeAt`), polling as the fallback; on
 * stop it puts unfinished deliveries back in the queue.
 */
export function createDeliveryWorker(options: {
  db: TDb;
  executorId: string;
  concurrency: number;
  pollIntervalMs: number;
  /** Thread messages read with each claimed delivery (HISTORY_MESSAGES). */
  historyLimit: number;
  /**
   * Hands back deliveries claimed for this executor more than `afterMs` ago that it is not running
   * (the answer to their claim was lost), checking every `checkEveryMs`. `afterMs` must exceed the
   * longest a claim request can take.
   */
  orphans?: { afterMs: number; checkEveryMs: number };
  log: Logger;
  process: (claimed: TClaimedDelivery, signal: AbortSignal) => Promise<TDeliveryOutcome>;
}): TDeliveryWorker {
  const log = options.log.child({ worker: "delivery" });
  const timers = new Set<NodeJS.Timeout>();
  let finished = 0;
  let aborted = 0;

  const orphanCheck = options.orphans
    ? createIntervalLoop({
        name: "orphaned deliveries",
        intervalMs: options.orphans.checkEveryMs,
        log,
        tick: async () => {
          if (loop.state !== "running" || !options.orphans) return;
          const released = await releaseDeliveries(options.db, options.executorId, {
            running: loop.inFlightIds(),
            claimedMoreThanMs: options.orphans.afterMs,
          });
          if (released > 0) {
            log.warn({ released }, "handed back deliveries claimed for this executor whose claim answer never arrived");
            loop.hint();
          }
        },
      })
    : null;

  const loop = createClaimLoop<TClaimedDelivery>({
    what: "deliveries",
    concurrency: options.concurrency,
    pollIntervalMs: options.pollIntervalMs,
    log,
    claim: (limit) => claimDeliveries(options.db, { executorId: options.executorId, limit, historyLimit: options.historyLimit }),
    run: async (claimed, signal) => {
      const outcome = await options.process(claimed, signal);
      if (outcome === "aborted") aborted += 1;
      else finished += 1;
    },
    onRunError: (err, claimed) => {
      // Nothing could be written (the database is down): the orphan check hands it back once the database
      // answers (the attempt counted), or the watchdog fails it; either way it is not lost.
      log.error({ err, deliveryId: claimed.id }, "delivery could not be recorded; it will be handed back, or failed by the watchdog");
      finished += 1;
    },
  });

  return {
    get state() {
      return loop.state;
    },
    get inFlight() {
      return loop.inFlight;
    },
    start() {
      if (loop.state !== "created") return;
      loop.start();
      orphanCheck?.start();
      log.info({ concurrency: options.concurrency, pollIntervalMs: options.pollIntervalMs }, "delivery worker running");
    },
    wake: () => loop.hint(),
    wakeAt(availableAt) {
      const delayMs = availableAt.getTime() - Date.now();
      if (delayMs <= 0 || delayMs > options.pollIntervalMs * 10) {
        if (delayMs <= 0) loop.hint();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        loop.hint();
      }, delayMs + 5);
      timers.add(timer);
    },
    reserve: (saving) => loop.reserve(saving),
    async claimMessage(messageId) {
      if (!loop.accepting) return [];
      const claimed = await claimDeliveries(options.db, {
        executorId: options.executorId,
        limit: 50,
        historyLimit: options.historyLimit,
        messageId,
      });
      loop.adopt(claimed);
      return claimed.map((c) => c.delivery);
    },
    idle: () => loop.idle(),
    async stop({ timeoutMs }) {
      if (loop.state === "stopped" || loop.state === "created") {
        loop.markStopped();
        return { finished, aborted, released: 0 };
      }
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await orphanCheck?.stop();
      await loop.drain(timeoutMs);
      let released = 0;
      try {
        released = await releaseDeliveries(options.db, options.executorId);
      } catch (err) {
        log.error({ err }, "could not release unfinished deliveries; the watchdog will fail them and they can be retried");
      }
      loop.markStopped();
      log.info({ finished, aborted, released }, "delivery worker stopped");
      return { finished, aborted, released };
    },
  };
}
