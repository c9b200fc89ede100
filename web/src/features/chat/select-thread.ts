import type { TChatDelivery, TChatMessage, TChatThread } from "@mission-control/shared/rows";
import type { TLiveRows } from "../live/live-store.ts";

/** A thread as the screen shows it: messages in the order they were written, deliveries per message. */
export interface TThreadView {
  thread: TChatThread | undefined;
  messages: TChatMessage[];
  deliveriesByMessage: Map<string, TChatDelivery[]>;
}

/**
 * Picks a thread's messages out of the store. Messages sort by created_at (seq is renewed on every
 * update, so it orders writes, not the conversation), then by author (an operator message before
 * the reply written in the same instant), then by id for a stable order.
 */
export function selectThread(
  rows: Pick<TLiveRows, "project_chat_threads" | "project_chat_messages" | "chat_delivery_queue">,
  projectId: string,
  threadKey: string,
): TThreadView {
  const thread = Object.values(rows.project_chat_threads).find((t) => t.project_id === projectId && t.thread_key === threadKey);
  if (!thread) return { thread, messages: [], deliveriesByMessage: new Map() };
  const messages = Object.values(rows.project_chat_messages)
    .filter((m) => m.thread_id === thread.id)
    .sort(
      (a, b) =>
        a.created_at.localeCompare(b.created_at) ||
        Number(a.author_type !== "user") - Number(b.author_type !== "user") ||
        a.id.localeCompare(b.id),
    );
  const ids = new Set(messages.map((m) => m.id));
  const deliveriesByMessage = new Map<string, TChatDelivery[]>();
  for (const d of Object.values(rows.chat_delivery_queue)) {
    if (!ids.has(d.message_id)) continue;
    const list = deliveriesByMessage.get(d.message_id) ?? [];
    list.push(d);
    deliveriesByMessage.set(d.message_id, list);
  }
  for (const list of deliveriesByMessage.values()) list.sort((a, b) => a.agent_key.localeCompare(b.agent_key));
  return { thread, messages, deliveriesByMessage };
}
