import type { Logger } from "pino";
import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { createClaimLoop } from "../worker/create-claim-loop.ts";
import type { TWorkerState } from "../worker/worker-state.ts";
import { claimProposals } from "./claim-proposals.ts";
import type { TApprovalOutcome } from "./execute-proposal.ts";

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
 * Creates the approval worker on the shared claim loop (worker/create-claim-loop.ts): woken by
 * realtime, the Control API and freed slots, polling as the fallback. Claimed work is never
 * handed back on stop.
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
  const counts = { executed: 0, failed: 0, interrupted: 0 };
  let stopping: Promise<TApprovalStopReport> | null = null;

  const loop = createClaimLoop<TProposalRow>({
    what: "approved proposals",
    concurrency: options.concurrency,
    pollIntervalMs: options.pollIntervalMs,
    log,
    claim: (limit) => claimProposals(options.db, { executorId: options.executorId, limit, projectIds: options.projectIds }),
    run: async (proposal, signal) => {
      const outcome = await options.execute(proposal, signal);
      if (outcome === "executed") counts.executed += 1;
      else counts.failed += 1;
      if (signal.aborted) counts.interrupted += 1;
    },
    onRunError: (err, proposal) => {
      counts.failed += 1;
      log.error({ err, proposalId: proposal.id }, "proposal could not be recorded; the watchdog will fail it as outcome unknown");
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
      log.info({ concurrency: options.concurrency, pollIntervalMs: options.pollIntervalMs }, "approval worker running");
    },
    wake: () => loop.hint(),
    async claimProposal(proposalId) {
      if (!loop.accepting) return null;
      const [claimed] = await claimProposals(options.db, { executorId: options.executorId, limit: 1, proposalId });
      if (!claimed) return null;
      loop.adopt([claimed]);
      return claimed;
    },
    idle: () => loop.idle(),
    stop({ timeoutMs }) {
      if (loop.state === "stopped" || loop.state === "created") {
        loop.markStopped();
        return Promise.resolve({ ...counts });
      }
      // A second stop() waits for the first: the loop drains once.
      stopping ??= (async () => {
        await loop.drain(timeoutMs);
        loop.markStopped();
        log.info(counts, "approval worker stopped");
        return { ...counts };
      })();
      return stopping;
    },
  };
}
