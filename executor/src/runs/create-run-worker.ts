import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { createClaimLoop } from "../worker/create-claim-loop.ts";
import { createIntervalLoop } from "../worker/create-interval-loop.ts";
import type { TWorkerState } from "../worker/worker-state.ts";
import type { TClaimedRun, TPendingRun } from "./decode-claimed-runs.ts";
import { claimRuns, heartbeatRuns, requeueExpiredRuns } from "./run-rpcs.ts";

/** Why a run's work was stopped: the run was cancelled (or taken over), or the executor is stopping. */
export class RunAbortedError extends Error {
  constructor(
    readonly reason: "cancelled" | "shutdown",
    message: string,
  ) {
    super(message);
    this.name = "RunAbortedError";
  }
}

/**
 * A run claimed together with others (a burst of assignments) starts once the claim loop has taken
 * nothing in for INTAKE_QUIET_MS, and after INTAKE_SETTLE_MAX_MS at the latest: claiming first shows
 * every assigned task "Started …" within milliseconds, and the runs' own steps (model calls of
 * seconds) follow. A run claimed alone starts at once.
 */
const INTAKE_QUIET_MS = 25;
const INTAKE_SETTLE_MAX_MS = 1_000;

/** What the run worker reports when it stops. */
export type TRunStopReport = { finished: number; aborted: number };

/** Works queued runs: claims them with a lease, keeps the lease alive, aborts a run the moment it is cancelled. */
export interface TRunWorker {
  readonly state: TWorkerState;
  /** Runs being worked now. */
  readonly inFlight: number;
  start(): void;
  /** Claims at once (realtime saw a queued run). */
  wake(): void;
  /**
   * Looks at one run now (Control API): claims it when it is queued, aborts it when this executor
   * works it and it is no longer running. Answers its status as seen here.
   */
  wakeRun(runId: string, status: string): Promise<string>;
  /** Aborts the run's work if this executor is working it (realtime saw it cancelled). */
  abortRun(runId: string): void;
  /** Resolves when nothing is in flight (tests). */
  idle(): Promise<void>;
  /**
   * Stops claiming, waits up to `timeoutMs` for runs in flight, then aborts them: their leases run
   * out and another executor (or this one, restarted) queues them again.
   */
  stop(options: { timeoutMs: number }): Promise<TRunStopReport>;
}

/**
 * Creates the run worker on the shared claim loop (woken by realtime and the Control API, polling
 * as the fallback). Each claimed run gets its own AbortController: `heartbeatMs` after the last
 * check, the worker renews the leases of the runs in flight and aborts those the database says are
 * no longer running here (cancelled from the dashboard, taken over after a lost lease), so a cancel
 * lands within one heartbeat even without realtime. The same loop queues again the runs of
 * executors that died (their lease expired).
 */
export function createRunWorker(options: {
  db: TDb;
  executorId: string;
  concurrency: number;
  pollIntervalMs: number;
  leaseSeconds: number;
  heartbeatMs: number;
  /** Only runs of these projects (empty: every project). */
  projectIds: readonly string[];
  log: Logger;
  process: (claimed: TClaimedRun, signal: AbortSignal) => Promise<void>;
}): TRunWorker {
  const log = options.log.child({ worker: "runs" });
  const counts = { finished: 0, aborted: 0 };
  const controllers = new Map<string, AbortController>();
  let stopping: Promise<TRunStopReport> | null = null;

  const abortRun = (runId: string, reason: RunAbortedError) => {
    const controller = controllers.get(runId);
    if (!controller || controller.signal.aborted) return;
    log.info({ runId, reason: reason.reason }, "aborting a run");
    controller.abort(reason);
  };
  const cancelled = (runId: string) =>
    abortRun(runId, new RunAbortedError("cancelled", "The run was cancelled (or is no longer this executor's to work)"));

  const loop = createClaimLoop<TPendingRun>({
    what: "runs",
    concurrency: options.concurrency,
    pollIntervalMs: options.pollIntervalMs,
    log,
    claim: (limit) =>
      claimRuns(options.db, {
        executorId: options.executorId,
        limit,
        leaseSeconds: options.leaseSeconds,
        projectIds: options.projectIds,
        onMalformed: (problem) => log.error({ err: problem }, "a claimed run does not decode; its lease will expire"),
      }),
    run: async (claimed, shutdown) => {
      const controller = new AbortController();
      controllers.set(claimed.id, controller);
      const onShutdown = () => controller.abort(new RunAbortedError("shutdown", "The executor is shutting down"));
      shutdown.addEventListener("abort", onShutdown, { once: true });
      heartbeat.runNow();
      try {
        // Take in first, then work: while a burst of assignments is being claimed, the runs' own
        // reads and writes would only slow those claims down.
        if (claimed.batchSize > 1) await loop.intakeSettled({ quietMs: INTAKE_QUIET_MS, maxWaitMs: INTAKE_SETTLE_MAX_MS });
        // The context was being read while the loop claimed more; a read that failed leaves the run to its lease.
        const input = await claimed.input;
        await options.process({ id: claimed.id, run: claimed.run, input }, controller.signal);
        if (controller.signal.aborted) counts.aborted += 1;
        else counts.finished += 1;
      } finally {
        shutdown.removeEventListener("abort", onShutdown);
        controllers.delete(claimed.id);
      }
    },
    onRunError: (err, claimed) => {
      log.error({ err, runId: claimed.id }, "a run's outcome could not be recorded; its lease will expire and it is queued again");
    },
  });

  const heartbeat = createIntervalLoop({
    name: "run-leases",
    intervalMs: options.heartbeatMs,
    log,
    tick: async () => {
      const runIds = [...controllers.keys()];
      if (runIds.length > 0) {
        const gone = await heartbeatRuns(options.db, { executorId: options.executorId, runIds, leaseSeconds: options.leaseSeconds });
        for (const runId of gone) cancelled(runId);
      }
    },
  });
  // Expired leases are rare (an executor died): looking every lease period is enough.
  const requeue = createIntervalLoop({
    name: "run-requeue",
    intervalMs: options.leaseSeconds * 1_000,
    log,
    tick: async () => {
      const requeued = await requeueExpiredRuns(options.db);
      if (requeued > 0) {
        log.warn({ requeued }, "runs of a stopped executor were queued again (or failed after 3 attempts)");
        loop.hint();
      }
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
      heartbeat.start();
      requeue.start();
      log.info({ concurrency: options.concurrency, leaseSeconds: options.leaseSeconds }, "run worker running");
    },
    wake: () => loop.hint(),
    async wakeRun(runId, status) {
      if (controllers.has(runId)) {
        if (status !== "running") cancelled(runId);
        return status;
      }
      if (status !== "queued" || !loop.accepting) return status;
      const claimed = await claimRuns(options.db, {
        executorId: options.executorId,
        limit: 1,
        leaseSeconds: options.leaseSeconds,
        runId,
        projectIds: options.projectIds,
        onMalformed: (problem) => log.error({ err: problem }, "a claimed run does not decode; its lease will expire"),
      });
      loop.adopt(claimed);
      return claimed.length > 0 ? "running" : status;
    },
    abortRun: cancelled,
    idle: () => loop.idle(),
    stop({ timeoutMs }) {
      if (loop.state === "stopped" || loop.state === "created") {
        loop.markStopped();
        return Promise.resolve({ ...counts });
      }
      stopping ??= (async () => {
        await loop.drain(timeoutMs);
        await heartbeat.stop();
        await requeue.stop();
        loop.markStopped();
        log.info(counts, "run worker stopped");
        return { ...counts };
      })();
      return stopping;
    },
  };
}

/** True when `err` is (or was caused by) a run being aborted. */
export function isRunAborted(err: unknown): err is RunAbortedError {
  if (err instanceof RunAbortedError) return true;
  return err instanceof AppError && err.cause instanceof RunAbortedError;
}
