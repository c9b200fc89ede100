import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Claims up to `limit` queued deliveries that are due (or only those of `messageId`) for this
 * executor, through claim_chat_deliveries (for update skip locked: two executors never take the
 * same one). Claimed rows are `delivered`, with `attempts` already counting this attempt.
 */
export async function claimDeliveries(
  db: TDb,
  options: { executorId: string; limit: number; messageId?: string },
): Promise<TDeliveryRow[]> {
  const { data, error } = await db.rpc("claim_chat_deliveries", {
    p_executor_id: options.executorId,
    p_limit: options.limit,
    ...(options.messageId ? { p_message_id: options.messageId } : {}),
  });
  if (error) throw readDbError(error, "Could not claim chat deliveries", "database_unreachable");
  return data ?? [];
}
