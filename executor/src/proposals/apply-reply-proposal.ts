import { z } from "zod";
import { deriveActionId } from "../actions/derive-action-id.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import type { TDeliveryInput } from "../delivery/decode-claimed-delivery.ts";
import { readSkillGate } from "../skills/read-skill-gate.ts";
import { refuseUnreadyAction } from "../skills/refuse-unready-action.ts";
import { checkProposalAllowed } from "./check-proposal-allowed.ts";
import { extractProposalBlock } from "./extract-proposal-block.ts";
import { insertAgentProposal } from "./insert-agent-proposal.ts";

/** The reply to post, and the proposal it carried. */
export type TAppliedReply = { text: string; proposalId: string | null; proposalError: string | null };

const ZOutcomeMetadata = z.looseObject({ kind: z.literal("proposal_outcome"), proposal_id: z.uuid() });

/**
 * Turns a ```proposal block in an agent's reply into an action_proposals row and strips it from
 * the visible text. Answering an outcome notice makes it a revision of that proposal, in the same
 * task and thread; otherwise it belongs to the task of a task thread, or to the chat thread.
 * The row's id derives from the delivery, so a retried delivery proposes once. An unusable block,
 * or one the agent may not make (an action outside its tools, a risk above its tolerance, a tool
 * whose skill is not ready), is replaced by a note saying why, and nothing is proposed.
 */
export async function applyReplyProposal(db: TDb, input: TDeliveryInput, replyText: string): Promise<TAppliedReply> {
  const { visible, proposal } = extractProposalBlock(replyText);
  if (!proposal) return { text: replyText, proposalId: null, proposalError: null };
  const withNote = (error: string) => ({
    text: `${visible ? `${visible}\n\n` : ""}(The proposal in this reply could not be used: ${error}. Nothing was proposed.)`,
    proposalId: null,
    proposalError: error,
  });
  if (!proposal.ok) return withNote(proposal.error);
  const refused = checkProposalAllowed(input.agent, proposal.value);
  if (refused) return withNote(refused);
  // As in runs, a tool whose skill is not ready cannot be used: not even as a proposal from chat.
  const unready = refuseUnreadyAction(await readSkillGate(db, input.delivery.project_id), proposal.value.action_type);
  if (unready) return withNote(unready);

  const notice = ZOutcomeMetadata.safeParse(input.message.metadata);
  let taskId: string | null = null;
  let threadId: string | null = null;
  let revisionOf: string | null = null;
  if (notice.success) {
    const original = await db.from("action_proposals").select("id, task_id, thread_id").eq("id", notice.data.proposal_id).maybeSingle();
    if (original.error) throw readDbError(original.error, "Could not read the proposal being revised", "database_unreachable");
    if (original.data) {
      revisionOf = original.data.id;
      taskId = original.data.task_id;
      threadId = original.data.thread_id;
    }
  }
  if (!revisionOf) {
    const task = /^task:([0-9a-f-]{36})$/.exec(input.thread.thread_key)?.[1];
    taskId = task ?? null;
    threadId = task ? null : input.thread.id;
  }
  const id = deriveActionId(input.delivery.id, "agent_proposal");
  const { error } = await insertAgentProposal(db, proposal.value, {
    id,
    projectId: input.delivery.project_id,
    agentKey: input.delivery.agent_key,
    taskId,
    threadId,
    revisionOf,
  });
  if (error) return withNote(error);
  const summary = proposal.value.summary?.trim() || proposal.value.action_type;
  return { text: visible || `Proposed for approval: ${summary}`, proposalId: id, proposalError: null };
}
