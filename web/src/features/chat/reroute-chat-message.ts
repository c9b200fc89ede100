import { type TChatDelivery, type TChatMessage, ZChatDelivery, ZChatMessage } from "@mission-control/shared/rows";
import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/**
 * Sends an operator's Team Room message to another agent (`reroute_chat_message`): a delivery is
 * queued for that agent and the previous agent's, if it still waits in the queue, is cancelled.
 * Re-routing to the agent it already goes to changes nothing. Reads the message's deliveries back
 * so the screen shows them before realtime does.
 */
export async function rerouteChatMessage(
  client: TBrowserClient,
  input: { messageId: string; agentKey: string },
): Promise<{ message: TChatMessage; deliveries: TChatDelivery[] }> {
  const { data, error } = await client.rpc("reroute_chat_message", { p_message_id: input.messageId, p_agent_key: input.agentKey });
  if (error) throw rpcWriteError("re-route the message", error);
  const message = ZChatMessage.parse(data);
  const read = await client.from("chat_delivery_queue").select("*").eq("message_id", message.id);
  return { message, deliveries: read.error ? [] : ZChatDelivery.array().parse(read.data ?? []) };
}
