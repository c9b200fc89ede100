import { AppError } from "@mission-control/shared/errors";
import { type TChangeset, type TChangesetFile, ZChangeset, ZChangesetFile } from "@mission-control/shared/rows";
import { z } from "zod";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** A rollback this executor claimed: the applied changeset, and its files when the claim returned them. */
export type TClaimedRollback = { id: string; changeset: TChangeset; files: TChangesetFile[] | null };

/** claim_changeset_rollbacks answers changeset rows, or `{changeset, files}` entries. */
const ZClaimed = z.union([
  z.object({ changeset: ZChangeset, files: z.array(ZChangesetFile).nullish() }),
  ZChangeset.transform((changeset) => ({ changeset, files: null })),
]);

/**
 * Claims up to `limit` rollbacks operators requested (claim_changeset_rollbacks: applied
 * changesets with rollback_requested_at and no live claim, skip locked).
 */
export async function claimChangesetRollbacks(db: TDb, options: { executorId: string; limit: number }): Promise<TClaimedRollback[]> {
  const { data, error } = await db.rpc("claim_changeset_rollbacks", { p_executor_id: options.executorId, p_limit: options.limit });
  if (error) throw readDbError(error, "Could not claim changeset rollbacks", "database_unreachable");
  const parsed = z.array(ZClaimed).safeParse(data ?? []);
  if (!parsed.success) {
    throw new AppError("internal", {
      message: "claim_changeset_rollbacks answered rows the executor does not understand: update the executor to the database's version",
      cause: parsed.error,
    });
  }
  return parsed.data.map(({ changeset, files }) => ({ id: changeset.id, changeset, files: files ?? null }));
}
