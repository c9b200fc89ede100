import type { TChatDelivery, TChatMessage } from "@mission-control/shared/rows";

/** One message delivered to the agent, and its reply when it wrote one. */
export interface TAgentWorkItem {
  delivery: TChatDelivery;
  /** The message it was asked (absent while it is not loaded). */
  message: TChatMessage | undefined;
  /** The agent's reply to it. */
  reply: TChatMessage | undefined;
}

/**
 * The agent's latest deliveries with the message each carried and the agent's reply to it,
 * newest message first, at most `limit`.
 */
export function selectAgentRecentWork(
  rows: { deliveries: Readonly<Record<string, TChatDelivery>>; messages: Readonly<Record<string, TChatMessage>> },
  projectId: string,
  agentKey: string,
  limit: number,
): TAgentWorkItem[] {
  const repliesTo = new Map<string, TChatMessage>();
  for (const message of Object.values(rows.messages)) {
    if (message.project_id !== projectId || message.author_agent_key !== agentKey || !message.reply_to) continue;
    const known = repliesTo.get(message.reply_to);
    // Several replies to one message (a retry after a lost save): the latest one is the answer.
    if (!known || known.seq < message.seq) repliesTo.set(message.reply_to, message);
  }
  const when = (item: TAgentWorkItem) => Date.parse(item.message?.created_at ?? item.delivery.updated_at);
  return Object.values(rows.deliveries)
    .filter((delivery) => delivery.project_id === projectId && delivery.agent_key === agentKey)
    .map((delivery) => ({ delivery, message: rows.messages[delivery.message_id], reply: repliesTo.get(delivery.message_id) }))
    .sort((a, b) => when(b) - when(a) || b.delivery.seq - a.delivery.seq)
    .slice(0, limit);
}
