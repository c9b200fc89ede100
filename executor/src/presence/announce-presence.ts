import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** Writes (or rewrites) this executor's presence row at start: version, Control API URL, started now. */
export async function announcePresence(
  db: TDb,
  options: { executorId: string; version: string; controlApiUrl: string; startedAt: Date },
): Promise<void> {
  const now = options.startedAt.toISOString();
  const { error } = await db.from("executor_presence").upsert(
    {
      id: options.executorId,
      version: options.version,
      control_api_url: options.controlApiUrl,
      started_at: now,
      last_seen_at: now,
      stopped_at: null,
    },
    { onConflict: "id" },
  );
  if (error) throw readDbError(error, `Could not announce executor ${options.executorId}`, "database_unreachable");
}
