import { ACTION_PROPOSAL_STATUSES } from "@mission-control/shared/schemas";
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { insertProposal, type TProjectFixture } from "./project-fixture.ts";
import { serviceClient } from "./stack-clients.ts";

/** Every status of an action proposal (the shared enum the SQL check is tested against). */
export const PROPOSAL_STATUSES = ACTION_PROPOSAL_STATUSES;
/** One of PROPOSAL_STATUSES. */
export type TProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** What a proposal row looks like when we check that nothing changed. */
export interface TProposalSnapshot {
  status: string;
  seq: string;
  params_hash: string;
  approved_params_hash: string | null;
  claimed_by: string | null;
}

/** Reads the row back as the superuser. */
export async function snapshotProposal(sql: pg.Pool, id: string): Promise<TProposalSnapshot | undefined> {
  const { rows } = await sql.query<TProposalSnapshot>(
    "select status, seq::text, params_hash, approved_params_hash, claimed_by from public.action_proposals where id = $1",
    [id],
  );
  return rows[0];
}

async function rpcOk(client: SupabaseClient, fn: string, args: Record<string, unknown>): Promise<unknown> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw new Error(`${fn} failed: ${error.message}`);
  return data;
}

/** Walks a fresh proposal to the given status through the real RPCs (operator resolves, executor claims and finishes). */
export async function proposalIn(
  sql: pg.Pool,
  f: TProjectFixture,
  status: TProposalStatus,
  fields: Record<string, unknown> = {},
): Promise<string> {
  const expired = status === "expired";
  const id = await insertProposal(sql, f.projectId, expired ? { expires_at: new Date(Date.now() - 1000), ...fields } : fields);
  if (status === "proposed") return id;
  if (status === "rejected") {
    await rpcOk(f.operator.client, "resolve_action_proposal", { p_proposal_id: id, p_decision: "reject", p_comment: "not like this" });
    return id;
  }
  await rpcOk(f.operator.client, "resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" });
  if (status === "approved" || status === "expired") return id;
  const executor = `executor-${id.slice(0, 8)}`;
  await rpcOk(serviceClient(), "claim_approved_proposals", { p_executor_id: executor, p_proposal_id: id });
  if (status === "executing") return id;
  await rpcOk(serviceClient(), "finish_action_proposal", {
    p_proposal_id: id,
    p_executor_id: executor,
    p_ok: status === "executed",
    p_result: status === "executed" ? { wrote: true } : null,
    p_error: status === "failed" ? "disk full" : null,
  });
  return id;
}

/** Columns a status needs to pass the table's check constraints, so only the state machine can refuse the change. */
export function fieldsFor(status: TProposalStatus): Record<string, unknown> {
  const now = new Date().toISOString();
  switch (status) {
    case "approved":
      return { status, approved_params_hash: "0".repeat(64), resolved_at: now };
    case "executing":
      return { status, claimed_by: "rogue-executor", execution_started_at: now };
    case "executed":
      return { status, claimed_by: "rogue-executor", execution_started_at: now, finished_at: now, execution_result: {} };
    case "failed":
      return { status, finished_at: now, error: "rogue" };
    case "rejected":
    case "expired":
      return { status, resolved_at: now };
    default:
      return { status };
  }
}
