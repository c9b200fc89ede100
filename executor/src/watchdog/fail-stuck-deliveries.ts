import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Fails deliveries claimed more than `stuckAfterMs` ago (the executor holding them died), and queued
 * ones that waited that long while this executor (started at `executorStartedAt`) was running
 * (fail_stuck_chat_deliveries). The UI then offers Retry. Returns the rows it failed.
 */
export async function failStuckDeliveries(db: TDb, options: { stuckAfterMs: number; executorStartedAt: Date }): Promise<TDeliveryRow[]> {
  const { data, error } = await db.rpc("fail_stuck_chat_deliveries", {
    p_stuck_after: `${Math.max(1, Math.round(options.stuckAfterMs))} milliseconds`,
    p_executor_started_at: options.executorStartedAt.toISOString(),
  });
  if (error) throw readDbError(error, "The watchdog could not check for stuck deliveries", "database_unreachable");
  return data ?? [];
}
