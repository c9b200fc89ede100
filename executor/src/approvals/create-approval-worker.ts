import type { Logger } from "pino";
import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { computeBackoff } from "../worker/compute-backoff.ts";
import { createWakeup } from "../worker/create-wakeup.ts";
import type { TWorkerState } from "../worker/worker-state.ts";
import { claimProposals } from "./claim-proposals.ts";
import type { TApprovalOutcome } from "./execute-proposal.ts";

/** After a wake-up whose claim found nothing, look again after these delays (the commit may not be visible yet). */
const HINT_RETRY_DELAYS_MS = [2, 10, 40];

/** What the approval worker reports when it stops. */
export type TApprovalStopReport = { executed: number; failed: number; interrupted: number };

/** The approval executor: claims approved proposals and runs their actions, up to `concurrency` at once. */
export interface TApprovalWorker {
  readonly state: TWorkerState;
  /** Proposals being executed now. */
  readonly inFlight: number;
  start(): void;
  /** Claims at once (realtime saw an approval). */
  wake(): void;
  /** Claims one proposal now (Control API) and starts it; returns it when this executor got it. */
  claimProposal(proposalId: string): Promise<TProposalRow | null>;
  /** Resolves when nothing is in flight (tests and benchmarks). */
  idle(): Promise<void>;
  /**
   * Stops claiming and waits up to `timeoutMs` for running actions; then aborts them (an api_call
   * in flight is recorded as failed, outcome unknown). Claimed work is never handed back: an
   * action that may have started must not run twice.
   */
  stop(options: { timeoutMs: number }): Promise<TApprovalStopReport>;
}

/**
 * Creates the approval worker loop, shaped like the delivery worker: explicit states, claims with
 * skip-locked as many as there are free slots, an abortable doorbell rung by realtime, the Control
 * API and freed slots, polling every `pollIntervalMs` as the fallback, and back-off after a failed claim.
 */
export function createApprovalWorker(options: {
  db: TDb;
  executorId: string;
  concurrency: number;
  pollIntervalMs: number;
  /** Only approvals of these projects (empty: all). */
  projectIds: readonly string[];
  log: Logger;
  execute: (proposal: TProposalRow, signal: AbortSignal) => Promise<TApprovalOutcome>;
}): TApprovalWorker {
  const log = options.log.child({ worker: "approvals" });
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
  const counts = { executed: 0, failed: 0, interrupted: 0 };

  const run = (proposal: TProposalRow) => {
    if (inFlight.has(proposal.id)) return;
    const job = options
      .execute(proposal, jobsAbort.signal)
      .then((outcome) => {
        if (outcome === "executed") counts.executed += 1;
        else counts.failed += 1;
        if (jobsAbort.signal.aborted) counts.interrupted += 1;
      })
      .catch((err: unknown) => {
        counts.failed += 1;
        log.error({ err, proposalId: proposal.id }, "proposal could not be recorded; the watchdog will fail it as outcome unknown");
      })
      .finally(() => {
        inFlight.delete(proposal.id);
        if (moreMayBeWaiting) wakeup.wake();
        if (inFlight.size === 0) for (const resolve of idleWaiters) resolve();
      });
    inFlight.set(proposal.id, job);
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
          const claimed = await claimProposals(options.db, {
            executorId: options.executorId,
            limit: free,
            projectIds: options.projectIds,
          });
          failures = 0;
          moreMayBeWaiting = claimed.length === free;
          for (const proposal of claimed) run(proposal);
          if (moreMayBeWaiting) continue;
          if (claimed.length === 0 && (wasHinted || hintRetries > 0) && hintRetries < HINT_RETRY_DELAYS_MS.length) {
            const delayMs = HINT_RETRY_DELAYS_MS[hintRetries] ?? options.pollIntervalMs;
            hintRetries += 1;
            if ((await wakeup.wait(delayMs, loopAbort.signal)) === "aborted") break;
            continue;
          }
          hintRetries = 0;
        } catch (err) {
          failures += 1;
          const delayMs = computeBackoff({ attempt: failures, baseMs: options.pollIntervalMs, maxMs: 30_000 });
          log.error({ err, failures, delayMs }, "claiming approved proposals failed; backing off");
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
      log.info({ concurrency: options.concurrency, pollIntervalMs: options.pollIntervalMs }, "approval worker running");
    },
    wake() {
      hinted = true;
      hintRetries = 0;
      wakeup.wake();
    },
    async claimProposal(proposalId) {
      if (state !== "running" && state !== "starting") return null;
      const [claimed] = await claimProposals(options.db, { executorId: options.executorId, limit: 1, proposalId });
      if (!claimed) return null;
      run(claimed);
      return claimed;
    },
    idle: waitIdle,
    async stop({ timeoutMs }) {
      if (state === "stopped" || state === "created") {
        state = "stopped";
        return { ...counts };
      }
      state = "stopping";
      loopAbort.abort();
      await loopDone;
      const drained = await Promise.race([
        waitIdle().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
      ]);
      if (!drained) {
        log.warn({ inFlight: inFlight.size, timeoutMs }, "actions still running at the shutdown deadline; interrupting them");
        jobsAbort.abort(new Error("executor is shutting down"));
        await Promise.allSettled([...inFlight.values()]);
      }
      state = "stopped";
      log.info(counts, "approval worker stopped");
      return { ...counts };
    },
  };
}
