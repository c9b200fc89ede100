import type { Logger } from "pino";
import { CLAIM_PRIORITY } from "../db/claim-priority.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import { decodeClaimedDeliveries, type TClaimedDelivery } from "./decode-claimed-delivery.ts";

/**
 * Claims up to `limit` queued deliveries that are due (or only those of `messageId`) for this
 * executor, with each one's context, in one round trip (claim_chat_delivery_batch: for update skip
 * locked, so two executors never take the same one). Claimed rows are `delivered`, with `attempts`
 * already counting this attempt.
 */
export async function claimDeliveries(
  db: TDb,
  options: { executorId: string; limit: number; historyLimit: number; messageId?: string; log: Logger },
): Promise<TClaimedDelivery[]> {
  const { data, error } = await db
    .rpc("claim_chat_delivery_batch", {
      p_executor_id: options.executorId,
      p_limit: options.limit,
      p_history_limit: options.historyLimit,
      ...(options.messageId ? { p_message_id: options.messageId } : {}),
    })
    .setHeader(CLAIM_PRIORITY.header, CLAIM_PRIORITY.value);
  if (error) throw readDbError(error, "Could not claim chat deliveries", "database_unreachable");
  return decodeClaimedDeliveries(data, "claim_chat_delivery_batch", (err) =>
    options.log.error({ err }, "a claimed delivery did not decode; the orphan check hands it back"),
  );
}
