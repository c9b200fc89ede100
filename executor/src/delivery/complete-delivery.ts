import type { Json } from "@mission-control/shared/db";
import { AppError } from "@mission-control/shared/errors";
import type { TDb, TMessageRow } from "../db/executor-client.ts";
import { CLAIM_LOST_SQLSTATE, POSTING_LIMIT_SQLSTATE, readDbError } from "../db/read-db-error.ts";

/**
 * Writes the agent's reply and marks the delivery processed, in one transaction
 * (complete_chat_delivery). Throws `conflict` when this executor no longer holds the claim
 * (the watchdog or another executor took it over: drop the reply), and `forbidden` when the
 * agent reached its Team Room posting limit (a permanent failure).
 */
export async function completeDelivery(
  db: TDb,
  options: { deliveryId: string; executorId: string; reply: string; metadata: Record<string, unknown> },
): Promise<TMessageRow> {
  const { data, error } = await db.rpc("complete_chat_delivery", {
    p_delivery_id: options.deliveryId,
    p_executor_id: options.executorId,
    p_reply: options.reply,
    p_metadata: options.metadata as Json,
  });
  if (error) {
    if (error.code === CLAIM_LOST_SQLSTATE) throw readDbError(error, "The reply was dropped", "conflict");
    if (error.code === POSTING_LIMIT_SQLSTATE) throw readDbError(error, "The reply was not posted", "forbidden");
    throw readDbError(error, "Could not save the agent's reply", "database_unreachable");
  }
  if (!data) throw new AppError("internal", { message: `complete_chat_delivery returned no reply for delivery ${options.deliveryId}` });
  return data as TMessageRow;
}
