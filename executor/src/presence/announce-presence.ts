import os from "node:os";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Writes (or rewrites) this executor's presence row at start: version, Control API URL, started
 * now. An earlier executor of this host that announced the same Control API URL and never stopped
 * cleanly was killed: only one process can listen there, so it is marked stopped now rather than
 * counted as alive until its heartbeat ages out (the roster and the badge then agree at once).
 */
export async function announcePresence(
  db: TDb,
  options: { executorId: string; version: string; controlApiUrl: string; startedAt: Date; hostname?: string },
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
  // Executor ids default to `<hostname>-<pid>`: the prefix says which rows this host wrote.
  const hostPrefix = `${options.hostname ?? os.hostname()}-`;
  const superseded = await db
    .from("executor_presence")
    .update({ stopped_at: now })
    .eq("control_api_url", options.controlApiUrl)
    .neq("id", options.executorId)
    .is("stopped_at", null)
    .like("id", `${hostPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (superseded.error) throw readDbError(superseded.error, "Could not retire the executor this one replaces", "database_unreachable");
}
