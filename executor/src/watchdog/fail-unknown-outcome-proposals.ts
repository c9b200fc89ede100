import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Fails proposals executing for longer than `stuckAfterMs` (the executor died mid-action) with
 * "outcome unknown: check before retrying" (fail_unknown_outcome_proposals). They are never run
 * again automatically. Returns the rows it failed.
 */
export async function failUnknownOutcomeProposals(db: TDb, options: { stuckAfterMs: number }): Promise<TProposalRow[]> {
  const { data, error } = await db.rpc("fail_unknown_outcome_proposals", {
    p_stuck_after: `${Math.max(1, Math.round(options.stuckAfterMs))} milliseconds`,
  });
  if (error) throw readDbError(error, "The watchdog could not check for stuck proposals", "database_unreachable");
  return data ?? [];
}
