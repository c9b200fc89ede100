import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * The ids of up to `limit` queued agent provision requests, oldest first: of every project, or only
 * of `projectIds` when given (an empty list: none). Nothing is locked: applying one locks it, so
 * two executors applying the same request write it once.
 */
export async function claimProvisionRequests(
  db: TDb,
  limit: number,
  projectIds: readonly string[] | null = null,
): Promise<{ id: string }[]> {
  if (projectIds === null) {
    const { data, error } = await db.rpc("claim_queued_provision_requests", { p_limit: limit });
    if (error) throw readDbError(error, "Could not look for queued agent provision requests", "database_unreachable");
    return (data ?? []).map((id) => ({ id }));
  }
  if (projectIds.length === 0) return [];
  const { data, error } = await db
    .from("agent_provision_requests")
    .select("id")
    .eq("status", "queued")
    .in("project_id", [...projectIds])
    .order("created_at")
    .order("seq")
    .limit(limit);
  if (error) throw readDbError(error, "Could not look for queued agent provision requests", "database_unreachable");
  return data;
}
