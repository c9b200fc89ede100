import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** Stamps last_seen_at: the executor is alive. */
export async function touchPresence(db: TDb, executorId: string): Promise<void> {
  const { error } = await db.from("executor_presence").update({ last_seen_at: new Date().toISOString() }).eq("id", executorId);
  if (error) throw readDbError(error, `Could not refresh the heartbeat of executor ${executorId}`, "database_unreachable");
}
