import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Proposals executing for longer than `stuckAfterMs` (the executor died or hung mid-action), with
 * fail_unknown_outcome_proposals: those whose action can check its effect (create_task,
 * schedule_job, send_message, file_write, edit_doc) are handed to reconciliation, which an
 * approval worker claims (approvals/reconcile-proposal.ts); the rest (api_call, apply_changeset,
 * or reconciled too often) are failed with "outcome unknown: check before retrying" and never run
 * again automatically. Returns the rows it failed.
 */
export async function failUnknownOutcomeProposals(db: TDb, options: { stuckAfterMs: number }): Promise<TProposalRow[]> {
  const { data, error } = await db.rpc("fail_unknown_outcome_proposals", {
    p_stuck_after: `${Math.max(1, Math.round(options.stuckAfterMs))} milliseconds`,
  });
  if (error) throw readDbError(error, "The watchdog could not check for stuck proposals", "database_unreachable");
  return data ?? [];
}
