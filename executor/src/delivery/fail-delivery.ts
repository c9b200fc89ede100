import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Records a failed attempt (fail_chat_delivery): with `retryAfterMs` the delivery is queued again
 * after that delay while attempts remain; without it (a permanent failure) or when attempts are used
 * up it is `failed` with the reason. Returns null when this executor no longer held the claim.
 */
export async function failDelivery(
  db: TDb,
  options: { deliveryId: string; executorId: string; error: string; retryAfterMs: number | null },
): Promise<TDeliveryRow | null> {
  const { data, error } = await db.rpc("fail_chat_delivery", {
    p_delivery_id: options.deliveryId,
    p_executor_id: options.executorId,
    p_error: options.error.slice(0, 2000),
    ...(options.retryAfterMs === null ? {} : { p_retry_after_ms: Math.round(options.retryAfterMs) }),
  });
  if (error) throw readDbError(error, "Could not record the failed delivery", "database_unreachable");
  const row = data as TDeliveryRow | null;
  return row?.id ? row : null;
}
