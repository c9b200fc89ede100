import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Proposals executing under a dead executor (presence stopped, or silent for `deadAfterMs`) are
 * not left to wait for the stuck timer: those whose action can check its effect are handed to
 * reconciliation at once (an approval worker claims them), the rest (api_call) are failed as
 * "outcome unknown: check before retrying" (request_reconcile_of_dead_executors). Returns the
 * rows it failed.
 */
export async function requestReconcileOfDeadExecutors(db: TDb, options: { deadAfterMs: number }): Promise<TProposalRow[]> {
  const { data, error } = await db.rpc("request_reconcile_of_dead_executors", {
    p_dead_after: `${Math.max(1_000, Math.round(options.deadAfterMs))} milliseconds`,
  });
  if (error) throw readDbError(error, "The watchdog could not check the proposals of dead executors", "database_unreachable");
  return data ?? [];
}
