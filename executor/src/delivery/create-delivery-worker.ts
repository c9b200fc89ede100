import { AppError, coerceError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import { createClaimPoller } from "../worker/create-claim-poller.ts";
import { createIntervalLoop } from "../worker/create-interval-loop.ts";
import { moveWorkerState, type TWorkerState } from "../worker/worker-state.ts";
import { claimDeliveries } from "./claim-deliveries.ts";
import { createDeliverySlots } from "./create-delivery-slots.ts";
import type { TClaimedDelivery } from "./decode-claimed-delivery.ts";
import type { TDeliveryOutcome, TProcessed } from "./process-delivery.ts";
import { releaseDeliveries } from "./release-deliveries.ts";
import { saveReplies, type TReplyToSave, type TSavedReplies, type TSavedReply } from "./save-replies.ts";

/** What the worker reports when it stops. */
export type TWorkerStopReport = { finished: number; aborted: number; released: number };

/** The chat delivery worker: claims queued deliveries, runs up to `concurrency` at once and saves their replies. */
export interface TDeliveryWorker {
  readonly state: TWorkerState;
  /** Deliveries held now (their agent answering, or their reply being saved). */
  readonly inFlight: number;
  start(): void;
  /** Claims at once (a realtime event or the Control API saw new work). */
  wake(): void;
  /** Wakes the worker when `availableAt` (a delayed retry) comes due. */
  wakeAt(availableAt: Date): void;
  /** Claims the deliveries of one message now and starts them; returns what was claimed. */
  claimMessage(messageId: string): Promise<TDeliveryRow[]>;
  /** Resolves when nothing is in flight and no reply waits to be saved (for tests and benchmarks). */
  idle(): Promise<void>;
  /**
   * Stops claiming, waits up to `timeoutMs` for deliveries in flight, aborts the rest and puts
   * them back in the queue (release_chat_deliveries) without counting the attempt.
   */
  stop(options: { timeoutMs: number }): Promise<TWorkerStopReport>;
}

/**
 * Where the worker's saving is: no reply waiting, a call scheduled for the next turn of the event
 * loop (replies ready meanwhile join it), or a call in flight (replies ready meanwhile go in the next).
 */
type TSaveState = "idle" | "scheduled" | "sending";

type TWaitingReply = { reply: TReplyToSave; resolve: (saved: TSavedReply | AppError) => void };

/**
 * Creates the delivery worker, the one owner of the delivery pipeline. It holds the slots (see
 * createDeliverySlots): a claimed delivery is running (processDelivery), then saving (its reply
 * waits for or is in a save call), then done; or it is handed back to the queue. It alone claims:
 * - as many deliveries as it has free slots, woken by realtime, the Control API, freed slots and
 *   due retries (`wakeAt`), polling as the fallback (createClaimPoller);
 * - along with saving replies, like a group commit: every reply ready on the same turn of the event
 *   loop, or while the previous call is in flight, goes in one complete_chat_deliveries call, which
 *   also claims deliveries for the slots those replies free plus the free ones;
 * - a message's deliveries at once for the Control API (`claimMessage`).
 * It hands back deliveries claimed for this executor whose claim answer never arrived (`orphans`),
 * and on stop puts unfinished deliveries back in the queue.
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
  /** Runs one delivery up to its reply (processDelivery). */
  process: (claimed: TClaimedDelivery, signal: AbortSignal) => Promise<TProcessed>;
  /** Most replies per save call (default 100; the database takes 500). */
  maxBatch?: number;
}): TDeliveryWorker {
  const { db, executorId, historyLimit } = options;
  const log = options.log.child({ worker: "delivery" });
  const maxBatch = options.maxBatch ?? 100;
  const slots = createDeliverySlots(options.concurrency);
  /** Each claimed delivery from its start until its outcome is counted. */
  const lives = new Map<string, Promise<void>>();
  const waiting: TWaitingReply[] = [];
  const idleWaiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  const jobsAbort = new AbortController();
  const counts = { finished: 0, aborted: 0 };
  let state: TWorkerState = "created";
  let saveState: TSaveState = "idle";
  let stopping: Promise<TWorkerStopReport> | null = null;

  const accepting = () => state === "running" || state === "starting";

  const poller = createClaimPoller({
    what: "deliveries",
    pollIntervalMs: options.pollIntervalMs,
    log,
    free: () => slots.free(),
    claim: async (limit) => {
      slots.reserve(limit);
      let claimed: TClaimedDelivery[];
      try {
        claimed = await claimDeliveries(db, { executorId, limit, historyLimit, log });
      } finally {
        slots.unreserve(limit);
      }
      startClaimed(claimed, limit, "claim_chat_delivery_batch");
      return claimed.length;
    },
  });

  const orphanCheck = options.orphans
    ? createIntervalLoop({
        name: "orphaned deliveries",
        intervalMs: options.orphans.checkEveryMs,
        log,
        tick: async () => {
          if (state !== "running" || !options.orphans) return;
          const released = await releaseDeliveries(db, executorId, { running: slots.ids(), claimedMoreThanMs: options.orphans.afterMs });
          if (released > 0) {
            log.warn({ released }, "handed back deliveries claimed for this executor whose claim answer never arrived");
            poller.hint();
          }
        },
      })
    : null;

  /** Starts what a claim returned; it may not return more than it was asked for. */
  function startClaimed(claimed: readonly TClaimedDelivery[], limit: number, rpc: string): void {
    if (claimed.length > limit) {
      throw new AppError("internal", {
        message: `${rpc} claimed ${claimed.length} deliveries when asked for at most ${limit}; they will be handed back`,
      });
    }
    for (const delivery of claimed) start(delivery);
  }

  function start(claimed: TClaimedDelivery): void {
    if (slots.stateOf(claimed.id)) {
      // Requeued (a retry's back-off ran out, or Retry after the watchdog) and claimed again while its first run
      // still finishes: that run saves or fails it; this claim changes nothing, as before.
      log.warn({ deliveryId: claimed.id }, "claimed a delivery this worker still holds; the run in flight settles it");
      return;
    }
    slots.take(claimed.id);
    const life = live(claimed)
      .then(
        (outcome) => {
          if (outcome === "aborted") counts.aborted += 1;
          else counts.finished += 1;
        },
        (err: unknown) => {
          // Nothing could be written (the database is down): the orphan check hands it back once the database
          // answers (the attempt counted), or the watchdog fails it; either way it is not lost.
          log.error({ err, deliveryId: claimed.id }, "delivery could not be recorded; it will be handed back, or failed by the watchdog");
          counts.finished += 1;
        },
      )
      .finally(() => {
        lives.delete(claimed.id);
        poller.slotFreed();
        notifyIfIdle();
      });
    lives.set(claimed.id, life);
  }

  async function live(claimed: TClaimedDelivery): Promise<TDeliveryOutcome> {
    try {
      const processed = await options.process(claimed, jobsAbort.signal);
      if (processed.kind === "ended") return processed.outcome;
      slots.move(claimed.id, "running", "saving");
      const saved = await saveWithOthers(processed.reply);
      return await processed.finish(saved);
    } finally {
      slots.end(claimed.id);
    }
  }

  /** Queues a reply for the next save call; resolves with the saved message or why it was not saved. */
  function saveWithOthers(reply: TReplyToSave): Promise<TSavedReply | AppError> {
    return new Promise((resolve) => {
      waiting.push({ reply, resolve });
      if (saveState !== "idle") return;
      saveState = "scheduled";
      setImmediate(() => {
        flush().catch((err: unknown) => log.error({ err }, "the delivery worker's saving broke an invariant"));
      });
    });
  }

  async function flush(): Promise<void> {
    if (saveState !== "scheduled") {
      throw new AppError("internal", { message: `Delivery worker invariant violated: a save call started while saving was ${saveState}` });
    }
    saveState = "sending";
    while (waiting.length > 0) {
      try {
        await send(waiting.splice(0, maxBatch));
      } catch (err) {
        log.error({ err }, "saving replies broke an invariant of the delivery worker; the deliveries it claimed will be handed back");
      }
    }
    saveState = "idle";
    notifyIfIdle();
  }

  /** Saves `batch` (deliveries in state saving) and claims deliveries for the slots they free plus the free ones. */
  async function send(batch: TWaitingReply[]): Promise<void> {
    let claimLimit = 0;
    let result: TSavedReplies | AppError;
    try {
      for (const { reply } of batch) slots.check(reply.deliveryId, "saving");
      claimLimit = accepting() ? slots.freeAlong(batch.length) : 0;
      const extra = Math.max(0, claimLimit - batch.length);
      slots.reserve(extra);
      try {
        result = await saveReplies(
          db,
          { executorId, historyLimit, log },
          batch.map((item) => item.reply),
          claimLimit,
        );
      } finally {
        slots.unreserve(extra);
      }
    } catch (err) {
      result = coerceError(err);
    }
    // Every reply settles, even after a broken invariant: a delivery waiting on its save must never hang.
    let violation: unknown = null;
    for (const { reply, resolve } of batch) {
      const saved = outcomeOf(result, reply.deliveryId);
      try {
        if (saved instanceof AppError) slots.move(reply.deliveryId, "saving", "running");
        else slots.release(reply.deliveryId, "saving");
      } catch (err) {
        violation ??= err;
      }
      resolve(saved);
    }
    if (violation) throw violation;
    // claimed is null when the call fell back to saving the replies one by one: nothing looked at the queue.
    if (result instanceof AppError || claimLimit === 0 || result.claimed === null) return;
    poller.claimedElsewhere(result.claimed.length, claimLimit);
    // After the shutdown deadline aborted the jobs, deliveries claimed now are not started: the stop releases them.
    if (!jobsAbort.signal.aborted) startClaimed(result.claimed, claimLimit, "complete_chat_deliveries");
  }

  function notifyIfIdle(): void {
    if (lives.size > 0 || saveState !== "idle") return;
    for (const resolve of idleWaiters) resolve();
  }

  const idle = () =>
    lives.size === 0 && saveState === "idle"
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const done = () => {
            idleWaiters.delete(done);
            resolve();
          };
          idleWaiters.add(done);
        });

  const stop = async (timeoutMs: number): Promise<TWorkerStopReport> => {
    state = moveWorkerState("delivery worker", state, ["starting", "running"], "stopping");
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await poller.stop();
    await orphanCheck?.stop();
    const drained = await Promise.race([
      idle().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]);
    if (!drained) {
      log.warn({ inFlight: slots.held, timeoutMs }, "deliveries still running at the shutdown deadline; aborting them");
      jobsAbort.abort(new Error("executor is shutting down"));
      await idle();
    }
    if (slots.held > 0 || slots.reserved > 0) {
      // A bug, but the stop goes on: releasing below hands back whatever is still claimed.
      log.error(
        { held: slots.held, reserved: slots.reserved },
        "Delivery worker invariant violated: it stopped still holding deliveries or reserved slots",
      );
    }
    let released = 0;
    try {
      released = await releaseDeliveries(db, executorId);
    } catch (err) {
      log.error({ err }, "could not release unfinished deliveries; the watchdog will fail them and they can be retried");
    }
    state = moveWorkerState("delivery worker", state, ["stopping"], "stopped");
    const report = { ...counts, released };
    log.info(report, "delivery worker stopped");
    return report;
  };

  return {
    get state() {
      return state;
    },
    get inFlight() {
      return slots.held;
    },
    start() {
      if (state !== "created") return;
      state = "starting";
      poller.start();
      orphanCheck?.start();
      state = moveWorkerState("delivery worker", state, ["starting"], "running");
      log.info({ concurrency: options.concurrency, pollIntervalMs: options.pollIntervalMs }, "delivery worker running");
    },
    wake: () => poller.hint(),
    wakeAt(availableAt) {
      const delayMs = availableAt.getTime() - Date.now();
      if (delayMs <= 0 || delayMs > options.pollIntervalMs * 10) {
        if (delayMs <= 0) poller.hint();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        poller.hint();
      }, delayMs + 5);
      timers.add(timer);
    },
    async claimMessage(messageId) {
      if (!accepting()) return [];
      const claimed = await claimDeliveries(db, { executorId, limit: 50, historyLimit, messageId, log });
      for (const delivery of claimed) start(delivery);
      return claimed.map((c) => c.delivery);
    },
    idle,
    stop({ timeoutMs }) {
      if (state === "created" || state === "stopped") {
        state = "stopped";
        return Promise.resolve({ ...counts, released: 0 });
      }
      stopping ??= stop(timeoutMs);
      return stopping;
    },
  };
}

/** What the save call answered for one delivery: its message, or why it was not saved. */
function outcomeOf(result: TSavedReplies | AppError, deliveryId: string): TSavedReply | AppError {
  if (result instanceof AppError) return result;
  return (
    result.saved.get(deliveryId) ??
    new AppError("internal", { message: `complete_chat_deliveries returned no outcome for delivery ${deliveryId}` })
  );
}
