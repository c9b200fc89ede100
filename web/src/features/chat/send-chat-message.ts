import { AppError } from "@mission-control/shared/errors";
import { type TChatDelivery, type TChatMessage, ZChatDelivery, ZChatMessage } from "@mission-control/shared/rows";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/** What the composer sends. `messageId` is chosen by the client so a resend is idempotent. */
export interface TSendChatMessageInput {
  projectId: string;
  threadKey: string;
  content: string;
  messageId: string;
  targetAgentKeys?: string[];
}

/** Maps a PostgREST error of the send RPC to an AppError that says what to do. */
function sendError(error: { code?: string; message: string; hint?: string | null }): AppError {
  const text = [error.message, error.hint].filter(Boolean).join(" ");
  if (error.code === "42501") return new AppError("forbidden", { message: text, cause: error });
  if (error.code === "PT404" || error.code === "P0002" || error.code === "22023")
    return new AppError("invalid_input", { message: text, cause: error });
  return new AppError("database_unreachable", { message: `Could not send the message: ${text}`, cause: error });
}

/**
 * Sends an operator message through `send_chat_message` (the message and one delivery per target
 * agent, in one transaction; the DM thread is created on the first message), then reads the
 * deliveries it queued so the screen shows them even before realtime does.
 */
export async function sendChatMessage(
  client: TBrowserClient,
  input: TSendChatMessageInput,
): Promise<{ message: TChatMessage; deliveries: TChatDelivery[] }> {
  const { data, error } = await client.rpc("send_chat_message", {
    p_project_id: input.projectId,
    p_thread_key: input.threadKey,
    p_content: input.content,
    p_message_id: input.messageId,
    ...(input.targetAgentKeys?.length ? { p_target_agent_keys: input.targetAgentKeys } : {}),
  });
  if (error) throw sendError(error);
  const message = ZChatMessage.parse(data);
  const read = await client.from("chat_delivery_queue").select("*").eq("message_id", message.id);
  const deliveries = read.error ? [] : ZChatDelivery.array().parse(read.data ?? []);
  return { message, deliveries };
}
