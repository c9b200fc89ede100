import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** At start: agents shown offline (no executor was running) become idle, ready for work. */
export async function markAgentsOnline(db: TDb): Promise<void> {
  const { error } = await db
    .from("agent_status")
    .update({ status: "idle", current_action: "", last_seen_at: new Date().toISOString() })
    .eq("status", "offline");
  if (error) throw readDbError(error, "Could not mark the agents online", "database_unreachable");
}
