import { AppError, coerceError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TProposalRow, TRecording } from "../actions/action-types.ts";
import { runAction } from "../actions/run-action.ts";
import type { TDb } from "../db/executor-client.ts";
import { readActionIntent, recordActionIntent } from "./action-intent.ts";
import { isReconcileClaim } from "./claim-proposals.ts";
import { finishProposal } from "./finish-proposal.ts";
import { reconcileProposal } from "./reconcile-proposal.ts";

/** What executing one claimed proposal needs; shared by every proposal of a worker. */
export type TApprovalDeps = {
  db: TDb;
  executorId: string;
  workspaceDir: string;
  apiCall: { defaultTimeoutMs: number; maxBodyChars: number };
  log: Logger;
};

/** How one claimed proposal ended. */
export type TApprovalOutcome = "executed" | "failed" | "claim_lost" | "unrecorded";

/** Delays between attempts to record an outcome when the database does not answer. */
const FINISH_RETRY_DELAYS_MS = [100, 500, 2_000, 5_000];

/**
 * Runs one claimed (executing) proposal's action exactly once and records the outcome with
 * finish_action_proposal. The action is never retried: an error becomes a failed outcome with the
 * reason. Recording is retried (it is idempotent); when the claim was lost nothing else is
 * written; when the database stays unreachable the watchdog later hands it to reconciliation (or
 * fails it as outcome unknown when the action cannot check its effect). A claim taken to reconcile
 * a crashed execution goes to reconcileProposal instead.
 */
export async function executeProposal(deps: TApprovalDeps, proposal: TProposalRow, signal: AbortSignal): Promise<TApprovalOutcome> {
  if (isReconcileClaim(proposal)) return reconcileProposal(deps, proposal, signal);
  const log = deps.log.child({ proposalId: proposal.id, actionType: proposal.action_type, projectId: proposal.project_id });
  const startedAt = performance.now();
  let outcome: Awaited<ReturnType<typeof runAction>>;
  try {
    // file_write and edit_doc record what they are about to change first, so that after a crash
    // reconciliation can tell "happened" from "did not" (reconcile-proposal.ts). When the claim
    // was handed to reconciliation meanwhile, nothing runs here.
    const intent = await readActionIntent(deps.db, proposal, deps.workspaceDir);
    if (intent && !(await recordActionIntent(deps.db, { proposalId: proposal.id, executorId: deps.executorId, intent, retry: false }))) {
      log.warn("the claim was handed to reconciliation before the action began; running nothing");
      return "claim_lost";
    }
    outcome = await runAction({
      db: deps.db,
      proposal,
      workspaceDir: deps.workspaceDir,
      apiCall: deps.apiCall,
      signal,
      log,
    });
  } catch (err) {
    const error = coerceError(err);
    log.error({ err }, "action threw; recording it as failed");
    outcome = { ok: false, error: `The action failed unexpectedly: ${error.message}` };
  }
  const ms = Math.round(performance.now() - startedAt);
  const settle = async (recording: TRecording) => {
    if (!outcome.ok || !outcome.afterRecorded) return;
    await outcome
      .afterRecorded(recording)
      .catch((err: unknown) => log.error({ err, recording }, "finishing the action after recording failed"));
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await finishProposal(deps.db, {
        proposalId: proposal.id,
        executorId: deps.executorId,
        ok: outcome.ok,
        ...(outcome.ok
          ? { result: outcome.result }
          : { error: outcome.error, ...(outcome.result !== undefined ? { result: outcome.result } : {}) }),
      });
      if (outcome.ok) log.info({ ms }, "proposal executed");
      else log.warn({ ms, reason: outcome.error }, "proposal failed");
      await settle("recorded");
      return outcome.ok ? "executed" : "failed";
    } catch (err) {
      if (err instanceof AppError && err.code === "conflict") {
        log.warn({ reason: err.message, ok: outcome.ok }, "claim lost before the outcome was recorded; recording nothing");
        await settle("claim_lost");
        return "claim_lost";
      }
      const delay = FINISH_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        log.error({ err, ok: outcome.ok }, "could not record the outcome; the watchdog will fail it as outcome unknown");
        await settle("unknown");
        return "unrecorded";
      }
      log.warn({ err, attempt: attempt + 1, delay }, "recording the outcome failed; trying again");
      // Recording goes on even during shutdown: the action already ran, and its outcome must not be lost.
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
