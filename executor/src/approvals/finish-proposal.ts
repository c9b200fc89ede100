import type { Json } from "@mission-control/shared/db";
import { AppError } from "@mission-control/shared/errors";
import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError, STATE_CONFLICT_SQLSTATE } from "../db/read-db-error.ts";

/**
 * Records the outcome of a proposal this executor is executing (finish_action_proposal): executed
 * with the result, or failed with the reason. Repeating the same outcome after a lost response
 * returns the recorded row. Throws `conflict` when the claim was lost (the watchdog failed it as
 * outcome unknown, or another executor holds it): record nothing else.
 */
export async function finishProposal(
  db: TDb,
  options: { proposalId: string; executorId: string; ok: boolean; result?: Json; error?: string },
): Promise<TProposalRow> {
  const { data, error } = await db.rpc("finish_action_proposal", {
    p_proposal_id: options.proposalId,
    p_executor_id: options.executorId,
    p_ok: options.ok,
    ...(options.result !== undefined ? { p_result: options.result } : {}),
    ...(options.error !== undefined ? { p_error: options.error } : {}),
  });
  if (error) {
    if (error.code === STATE_CONFLICT_SQLSTATE) throw readDbError(error, "The outcome was not recorded", "conflict");
    throw readDbError(error, `Could not record the outcome of proposal ${options.proposalId}`, "database_unreachable");
  }
  if (!data) throw new AppError("internal", { message: `finish_action_proposal returned nothing for proposal ${options.proposalId}` });
  return data as TProposalRow;
}
