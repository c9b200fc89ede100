import { AppError } from "@mission-control/shared/errors";
import { type TChatDelivery, ZChatDelivery } from "@mission-control/shared/rows";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/**
 * Queues a failed delivery again through `retry_chat_delivery`. Idempotent: a second click finds
 * it queued and changes nothing, so a double-click makes one new attempt.
 */
export async function retryChatDelivery(client: TBrowserClient, deliveryId: string): Promise<TChatDelivery> {
  const { data, error } = await client.rpc("retry_chat_delivery", { p_delivery_id: deliveryId });
  if (error) {
    throw new AppError(error.code === "42501" ? "forbidden" : "database_unreachable", {
      message: [error.message, error.hint].filter(Boolean).join(" "),
      cause: error,
    });
  }
  return ZChatDelivery.parse(data);
}
