import type { TProposalRow } from "../actions/action-types.ts";
import { CLAIM_PRIORITY } from "../db/claim-priority.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** Claimed rows that are reconciliations of a crashed execution, not first runs (see isReconcileClaim). */
const reconcileClaims = new WeakSet<TProposalRow>();

/** Whether this claimed row was claimed to be reconciled (claim_proposals_to_reconcile) rather than run. */
export function isReconcileClaim(proposal: TProposalRow): boolean {
  return reconcileClaims.has(proposal);
}

/**
 * Claims approved proposals for this executor with claim_approved_proposals (for update skip
 * locked; the RPC re-hashes the params and re-checks the approver, failing mismatches instead of
 * returning them). Claimed rows are `executing`. With `proposalId`, only that one; with
 * `projectIds`, only approvals of those projects (looked up first, then claimed one by one).
 * Without `proposalId`, proposals left by a crashed executor and due for reconciliation come first
 * (claim_proposals_to_reconcile, also skip locked); they are marked for isReconcileClaim.
 */
export async function claimProposals(
  db: TDb,
  options: { executorId: string; limit: number; proposalId?: string; projectIds?: readonly string[] },
): Promise<TProposalRow[]> {
  if (!options.proposalId) {
    const reconciles = await claimToReconcile(db, options.executorId, options.limit, options.projectIds ?? []);
    if (reconciles.length >= options.limit) return reconciles;
    const approved = await claimApproved(db, { ...options, limit: options.limit - reconciles.length });
    return [...reconciles, ...approved];
  }
  return claimApproved(db, options);
}

async function claimToReconcile(db: TDb, executorId: string, limit: number, projectIds: readonly string[]): Promise<TProposalRow[]> {
  const { data, error } = await db.rpc("claim_proposals_to_reconcile", {
    p_executor_id: executorId,
    p_limit: limit,
    ...(projectIds.length > 0 ? { p_project_ids: [...projectIds] } : {}),
  });
  if (error) throw readDbError(error, "Could not claim proposals to reconcile", "database_unreachable");
  for (const row of data ?? []) reconcileClaims.add(row);
  return data ?? [];
}

async function claimApproved(
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
  const { data, error } = await db
    .rpc("claim_approved_proposals", {
      p_executor_id: executorId,
      p_limit: limit,
      ...(proposalId ? { p_proposal_id: proposalId } : {}),
    })
    .setHeader(CLAIM_PRIORITY.header, CLAIM_PRIORITY.value);
  if (error) throw readDbError(error, "Could not claim approved proposals", "database_unreachable");
  return data ?? [];
}
