import crypto from "node:crypto";
import type { TDb, TDeliveryRow, TMessageRow } from "../db/executor-client.ts";
import type { TTestMember } from "./stack-fixtures.ts";
import { waitFor } from "./stack-fixtures.ts";

/** Sends a chat message as an operator through send_chat_message (the UI's path). */
export async function sendMessage(member: TTestMember, projectId: string, threadKey: string, content: string): Promise<TMessageRow> {
  const { data, error } = await member.client.rpc("send_chat_message", {
    p_project_id: projectId,
    p_thread_key: threadKey,
    p_content: content,
    p_message_id: crypto.randomUUID(),
  });
  if (error) throw new Error(`send_chat_message failed: ${error.message}`);
  return data as TMessageRow;
}

/** The deliveries of one message. */
export async function deliveriesOf(db: TDb, messageId: string): Promise<TDeliveryRow[]> {
  const { data, error } = await db.from("chat_delivery_queue").select("*").eq("message_id", messageId).order("agent_key");
  if (error) throw new Error(error.message);
  return data;
}

/** The agent replies to one message. */
export async function repliesTo(db: TDb, messageId: string): Promise<TMessageRow[]> {
  const { data, error } = await db.from("project_chat_messages").select("*").eq("reply_to", messageId).order("created_at");
  if (error) throw new Error(error.message);
  return data;
}

/** Waits until the message's single delivery reaches `status`, and returns it. */
export function waitForDelivery(db: TDb, messageId: string, status: string, timeoutMs = 10_000): Promise<TDeliveryRow> {
  let last: TDeliveryRow | undefined;
  return waitFor(
    `the delivery of ${messageId} to be ${status}`,
    async () => {
      [last] = await deliveriesOf(db, messageId);
      return last?.status === status ? last : undefined;
    },
    timeoutMs,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)} (last seen: ${JSON.stringify(last)})`);
  });
}
