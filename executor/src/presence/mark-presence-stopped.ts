import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** Stamps stopped_at on a graceful stop, so the dashboard knows the executor left on purpose. */
export async function markPresenceStopped(db: TDb, executorId: string): Promise<void> {
  const now = new Date().toISOString();
  const { error } = await db.from("executor_presence").update({ stopped_at: now, last_seen_at: now }).eq("id", executorId);
  if (error) throw readDbError(error, `Could not mark executor ${executorId} stopped`, "database_unreachable");
}
