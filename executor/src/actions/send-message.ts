import type { TSendMessageParams } from "./action-params.ts";
import { refused, type TActionContext, type TActionOutcome } from "./action-types.ts";
import { deriveActionId } from "./derive-action-id.ts";

/**
 * send_message: posts the content as the proposing agent into the Team Room or a DM thread
 * (created when it does not exist yet). No deliveries are queued: it is a post, not a request.
 */
export async function sendMessage(ctx: TActionContext, params: TSendMessageParams): Promise<TActionOutcome> {
  const projectId = ctx.proposal.project_id;
  const dmAgent = params.thread_key.startsWith("DM:") ? params.thread_key.slice(3) : null;
  const thread = await ctx.db
    .from("project_chat_threads")
    .upsert(
      {
        project_id: projectId,
        kind: dmAgent ? "dm" : "team_room",
        thread_key: params.thread_key,
        agent_key: dmAgent,
        title: dmAgent ? `DM with ${dmAgent}` : "Team Room",
      },
      { onConflict: "project_id,thread_key", ignoreDuplicates: true },
    )
    .select("id");
  if (thread.error) return refused(`Could not open the thread ${params.thread_key}: ${thread.error.message}`);
  let threadId = thread.data[0]?.id;
  if (!threadId) {
    const found = await ctx.db
      .from("project_chat_threads")
      .select("id")
      .eq("project_id", projectId)
      .eq("thread_key", params.thread_key)
      .single();
    if (found.error) return refused(`Could not find the thread ${params.thread_key}: ${found.error.message}`);
    threadId = found.data.id;
  }
  const message = await ctx.db
    .from("project_chat_messages")
    .insert({
      id: deriveActionId(ctx.proposal.id, "send_message"),
      project_id: projectId,
      thread_id: threadId,
      author_type: "agent",
      author_agent_key: ctx.proposal.proposed_by_agent_key,
      content: params.content,
      metadata: { proposal_id: ctx.proposal.id },
    })
    .select("id")
    .single();
  if (message.error) return refused(`Could not post the message: ${message.error.message}`);
  return {
    ok: true,
    result: { message_id: message.data.id, thread_id: threadId, thread_key: params.thread_key, rollback: "irreversible once read" },
  };
}
