import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Puts deliveries this executor holds back in the queue (release_chat_deliveries). Without
 * `orphans`, all of them, without counting the attempt (graceful shutdown); with it, only those
 * claimed more than `claimedMoreThanMs` ago that are not `running` and have attempts left (claims
 * whose answer never arrived), keeping the attempt counted. Returns how many were released.
 */
export async function releaseDeliveries(
  db: TDb,
  executorId: string,
  orphans?: { running: readonly string[]; claimedMoreThanMs: number },
): Promise<number> {
  const { data, error } = await db.rpc("release_chat_deliveries", {
    p_executor_id: executorId,
    ...(orphans ? { p_running: [...orphans.running], p_claimed_more_than_ms: Math.round(orphans.claimedMoreThanMs) } : {}),
  });
  if (error) throw readDbError(error, "Could not release deliveries", "database_unreachable");
  return data ?? 0;
}
