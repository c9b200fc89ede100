import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * On graceful shutdown: puts every delivery this executor still holds back in the queue without
 * counting the attempt (release_chat_deliveries). Returns how many were released.
 */
export async function releaseDeliveries(db: TDb, executorId: string): Promise<number> {
  const { data, error } = await db.rpc("release_chat_deliveries", { p_executor_id: executorId });
  if (error) throw readDbError(error, "Could not release unfinished deliveries", "database_unreachable");
  return data ?? 0;
}
