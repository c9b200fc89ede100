import type { TActionProposalParams } from "@mission-control/shared/schemas";
import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { type TTestMember, waitFor } from "./stack-fixtures.ts";

/** Inserts a proposal as the executor does for an agent (service role), and returns the row. */
export async function insertProposal(
  db: TDb,
  projectId: string,
  action: TActionProposalParams,
  fields: { agentKey?: string; taskId?: string | null; threadId?: string | null; expiresAt?: string; summary?: string } = {},
): Promise<TProposalRow> {
  const { data, error } = await db
    .from("action_proposals")
    .insert({
      project_id: projectId,
      action_type: action.action_type,
      params: action.params,
      summary: fields.summary ?? `Test ${action.action_type}`,
      risk: "low",
      reversibility: "reversible",
      proposed_by_agent_key: fields.agentKey ?? "builder",
      task_id: fields.taskId ?? null,
      thread_id: fields.threadId ?? null,
      ...(fields.expiresAt ? { expires_at: fields.expiresAt } : {}),
    })
    .select("*")
    .single();
  if (error) throw new Error(`could not insert the proposal: ${error.message}`);
  return data;
}

/** Approves (or rejects, with a comment) as a signed-in member through resolve_action_proposal. */
export async function resolveProposal(
  member: TTestMember,
  proposalId: string,
  decision: "approve" | "reject",
  comment?: string,
): Promise<TProposalRow> {
  const { data, error } = await member.client.rpc("resolve_action_proposal", {
    p_proposal_id: proposalId,
    p_decision: decision,
    ...(comment ? { p_comment: comment } : {}),
  });
  if (error) throw new Error(`resolve_action_proposal failed: ${error.message}`);
  return data as TProposalRow;
}

/** Reads a proposal back. */
export async function readProposal(db: TDb, proposalId: string): Promise<TProposalRow> {
  const { data, error } = await db.from("action_proposals").select("*").eq("id", proposalId).single();
  if (error) throw new Error(error.message);
  return data;
}

/** Waits until the proposal reaches one of `statuses`, and returns it. */
export async function waitForProposal(db: TDb, proposalId: string, statuses: string[], timeoutMs = 10_000): Promise<TProposalRow> {
  let last: TProposalRow | undefined;
  return waitFor(
    `proposal ${proposalId} to be ${statuses.join(" or ")}`,
    async () => {
      last = await readProposal(db, proposalId);
      return statuses.includes(last.status) ? last : undefined;
    },
    timeoutMs,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)} (last seen: ${last?.status} ${last?.error ?? ""})`);
  });
}

/** Creates a task directly (as an operator would on the board) and returns its id. */
export async function insertTask(db: TDb, projectId: string, title = "Test task"): Promise<string> {
  const { data, error } = await db.from("tasks").insert({ project_id: projectId, title }).select("id").single();
  if (error) throw new Error(`could not insert the task: ${error.message}`);
  return data.id;
}
