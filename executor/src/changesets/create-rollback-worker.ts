import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { createClaimLoop } from "../worker/create-claim-loop.ts";
import type { TWorkerState } from "../worker/worker-state.ts";
import { claimChangesetRollbacks, type TClaimedRollback } from "./claim-changeset-rollbacks.ts";
import { rollBackChangeset, type TRollbackOutcome } from "./roll-back-changeset.ts";

/** What the rollback worker reports when it stops. */
export type TRollbackStopReport = Record<TRollbackOutcome, number>;

/** Rolls back applied changesets whose rollback an operator requested. */
export interface TRollbackWorker {
  readonly state: TWorkerState;
  /** Rollbacks being written now. */
  readonly inFlight: number;
  start(): void;
  /** Claims at once (realtime saw a rollback request). */
  wake(): void;
  /** Resolves when nothing is in flight (tests). */
  idle(): Promise<void>;
  /**
   * Stops claiming and waits up to `timeoutMs` for the rollback being written. A rollback is not
   * interrupted halfway: its files are written as one journaled step and its outcome recorded.
   */
  stop(options: { timeoutMs: number }): Promise<TRollbackStopReport>;
}

/**
 * Creates the rollback worker on the shared claim loop (worker/create-claim-loop.ts): claims with
 * claim_changeset_rollbacks, restores each changeset's applied files (rollBackChangeset) and
 * records the outcome with finish_changeset_rollback. Woken by realtime (subscribeRollbackWakeups
 * on `changesets`), polling as the fallback. Rollbacks are rare and write one workspace, so one at
 * a time by default.
 */
export function createRollbackWorker(options: {
  db: TDb;
  executorId: string;
  workspaceDir: string;
  pollIntervalMs: number;
  concurrency?: number;
  log: Logger;
}): TRollbackWorker {
  const log = options.log.child({ worker: "rollbacks" });
  const deps = { db: options.db, executorId: options.executorId, workspaceDir: options.workspaceDir, log };
  const counts: TRollbackStopReport = { rolled_back: 0, refused: 0, deferred: 0, unrecorded: 0 };
  const concurrency = options.concurrency ?? 1;
  let stopping: Promise<TRollbackStopReport> | null = null;

  const loop = createClaimLoop<TClaimedRollback>({
    what: "changeset rollbacks",
    concurrency,
    pollIntervalMs: options.pollIntervalMs,
    log,
    claim: (limit) => claimChangesetRollbacks(options.db, { executorId: options.executorId, limit }),
    // The signal is not passed on: a rollback's writes are one journaled step that must finish and be recorded.
    run: async (claimed) => {
      counts[await rollBackChangeset(deps, claimed)] += 1;
    },
    onRunError: (err, claimed) => {
      counts.unrecorded += 1;
      log.error({ err, changesetId: claimed.id }, "changeset rollback failed unexpectedly; the claim expires and it is tried again");
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
      log.info({ concurrency, pollIntervalMs: options.pollIntervalMs }, "rollback worker running");
    },
    wake: () => loop.hint(),
    idle: () => loop.idle(),
    stop({ timeoutMs }) {
      if (loop.state === "stopped" || loop.state === "created") {
        loop.markStopped();
        return Promise.resolve({ ...counts });
      }
      stopping ??= (async () => {
        await loop.drain(timeoutMs);
        loop.markStopped();
        log.info(counts, "rollback worker stopped");
        return { ...counts };
      })();
      return stopping;
    },
  };
}
