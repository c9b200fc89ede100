import { AppError } from "@mission-control/shared/errors";
import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** A claimed delivery with the context load_chat_delivery_context read for it (checked later, in readDeliveryInput). */
export type TClaimedDelivery = {
  /** The delivery's id (what the claim loop tracks). */
  id: string;
  delivery: TDeliveryRow;
  /** Raw JSON: null when the message is gone. */
  context: unknown;
};

/**
 * Claims up to `limit` queued deliveries that are due (or only those of `messageId`) for this
 * executor, with each one's context, in one round trip (claim_chat_delivery_batch: for update skip
 * locked, so two executors never take the same one). Claimed rows are `delivered`, with `attempts`
 * already counting this attempt.
 */
export async function claimDeliveries(
  db: TDb,
  options: { executorId: string; limit: number; historyLimit: number; messageId?: string },
): Promise<TClaimedDelivery[]> {
  const { data, error } = await db.rpc("claim_chat_delivery_batch", {
    p_executor_id: options.executorId,
    p_limit: options.limit,
    p_history_limit: options.historyLimit,
    ...(options.messageId ? { p_message_id: options.messageId } : {}),
  });
  if (error) throw readDbError(error, "Could not claim chat deliveries", "database_unreachable");
  if (!Array.isArray(data)) {
    throw new AppError("internal", { message: "claim_chat_delivery_batch did not return a JSON array (are the migrations up to date?)" });
  }
  return (data as { delivery: TDeliveryRow; context: unknown }[]).map(({ delivery, context }) => ({ id: delivery.id, delivery, context }));
}
