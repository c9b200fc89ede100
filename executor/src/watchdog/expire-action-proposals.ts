import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** Marks proposals nobody decided before their expiry as expired (expire_action_proposals) and returns them. */
export async function expireActionProposals(db: TDb): Promise<TProposalRow[]> {
  const { data, error } = await db.rpc("expire_action_proposals");
  if (error) throw readDbError(error, "The watchdog could not expire old proposals", "database_unreachable");
  return data ?? [];
}
