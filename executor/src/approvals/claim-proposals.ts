import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Claims approved proposals for this executor with claim_approved_proposals (for update skip
 * locked; the RPC re-hashes the params and re-checks the approver, failing mismatches instead of
 * returning them). Claimed rows are `executing`. With `proposalId`, only that one; with
 * `projectIds`, only approvals of those projects (looked up first, then claimed one by one).
 */
export async function claimProposals(
  db: TDb,
  options: { executorId: string; limit: number; proposalId?: string; projectIds?: readonly string[] },
): Promise<TProposalRow[]> {
  if (options.proposalId || !options.projectIds?.length) {
    return claim(db, options.executorId, options.limit, options.proposalId);
  }
  const { data, error } = await db
    .from("action_proposals")
    .select("id")
    .eq("status", "approved")
    .in("project_id", [...options.projectIds])
    .order("resolved_at")
    .limit(options.limit);
  if (error) throw readDbError(error, "Could not list approved proposals", "database_unreachable");
  const claimed: TProposalRow[] = [];
  for (const row of data) claimed.push(...(await claim(db, options.executorId, 1, row.id)));
  return claimed;
}

async function claim(db: TDb, executorId: string, limit: number, proposalId?: string): Promise<TProposalRow[]> {
  const { data, error } = await db.rpc("claim_approved_proposals", {
    p_executor_id: executorId,
    p_limit: limit,
    ...(proposalId ? { p_proposal_id: proposalId } : {}),
  });
  if (error) throw readDbError(error, "Could not claim approved proposals", "database_unreachable");
  return data ?? [];
}
