import type { TActionProposalInput } from "@mission-control/shared/schemas";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** Where an agent's proposal belongs and who made it. */
export type TProposalPlacement = {
  id: string;
  projectId: string;
  agentKey: string;
  taskId: string | null;
  threadId: string | null;
  revisionOf: string | null;
};

/**
 * Inserts an agent's proposal into action_proposals (the triggers announce it as a card and in the
 * feed). The id is chosen by the caller, so a retried delivery inserts it once: a second insert
 * returns `{ inserted: false }`. Returns the database's refusal (a check or a foreign key) as
 * `error` instead of throwing; throws only when the database cannot be reached.
 */
export async function insertAgentProposal(
  db: TDb,
  proposal: TActionProposalInput,
  placement: TProposalPlacement,
): Promise<{ inserted: boolean; error: string | null }> {
  const { error } = await db.from("action_proposals").insert({
    id: placement.id,
    project_id: placement.projectId,
    action_type: proposal.action_type,
    params: proposal.params,
    summary: proposal.summary ?? "",
    risk: proposal.risk,
    blast_radius: proposal.blast_radius ?? "",
    reversibility: proposal.reversibility,
    rollback_plan: proposal.rollback_plan ?? "",
    ...(proposal.expires_at ? { expires_at: proposal.expires_at } : {}),
    proposed_by_agent_key: placement.agentKey,
    task_id: placement.taskId,
    thread_id: placement.threadId,
    revision_of: placement.revisionOf,
  });
  if (!error) return { inserted: true, error: null };
  if (error.code === "23505") return { inserted: false, error: null };
  const refused = readDbError(error, "The proposal was refused");
  if (refused.code === "database_unreachable") throw refused;
  return { inserted: false, error: refused.message };
}
