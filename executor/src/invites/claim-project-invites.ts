import type { Database } from "@mission-control/shared/db";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** A queued invite the executor now holds, with what the mail needs. */
export type TClaimedInvite = Database["public"]["Functions"]["claim_project_invites"]["Returns"][number];

/**
 * Claims up to `limit` due invites (for update skip locked, so two executors never mail the same
 * one at once; a claim held over two minutes is taken over), of every project or only of
 * `projectIds` (an empty list: none).
 */
export async function claimProjectInvites(
  db: TDb,
  options: { executorId: string; limit: number; projectIds: readonly string[] | null },
): Promise<TClaimedInvite[]> {
  if (options.projectIds !== null && options.projectIds.length === 0) return [];
  const { data, error } = await db.rpc("claim_project_invites", {
    p_executor_id: options.executorId,
    p_limit: options.limit,
    ...(options.projectIds === null ? {} : { p_project_ids: [...options.projectIds] }),
  });
  if (error) throw readDbError(error, "Could not claim queued project invites", "database_unreachable");
  return data ?? [];
}
