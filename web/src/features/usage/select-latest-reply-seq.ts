import type { TLiveState } from "../live/live-store.ts";

/**
 * The highest seq of an agent's reply in the project (one agent's when `agentId` is given): it
 * changes when a reply lands, and a reply is saved with its provider call in one transaction.
 */
export function selectLatestReplySeq(state: TLiveState, projectId: string, agentId?: string): number {
  const agentKey = agentId ? state.rows.agents[agentId]?.agent_key : undefined;
  let latest = 0;
  for (const message of Object.values(state.rows.project_chat_messages)) {
    if (message.project_id !== projectId || message.author_type !== "agent") continue;
    if (agentKey !== undefined && message.author_agent_key !== agentKey) continue;
    if (message.seq > latest) latest = message.seq;
  }
  return latest;
}
