import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * On a graceful stop: when no other executor has sent a heartbeat within `aliveWithinMs`, idle and
 * working agents are shown offline (nobody will answer them until an executor is back); agents in
 * error keep their reason. Returns false when another executor is still running.
 */
export async function markAgentsOffline(db: TDb, options: { executorId: string; aliveWithinMs: number }): Promise<boolean> {
  const others = await db
    .from("executor_presence")
    .select("id", { count: "exact", head: true })
    .neq("id", options.executorId)
    .is("stopped_at", null)
    .gt("last_seen_at", new Date(Date.now() - options.aliveWithinMs).toISOString());
  if (others.error) throw readDbError(others.error, "Could not check for other executors", "database_unreachable");
  if ((others.count ?? 0) > 0) return false;
  const { error } = await db
    .from("agent_status")
    .update({ status: "offline", current_action: "No executor is running: messages wait in the queue" })
    .in("status", ["idle", "working", "waiting"]);
  if (error) throw readDbError(error, "Could not mark the agents offline", "database_unreachable");
  return true;
}
