import { AppError } from "@mission-control/shared/errors";
import { type TChangeset, ZChangeset } from "@mission-control/shared/rows";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Records how a claimed rollback ended (finish_changeset_rollback): ok → the changeset is
 * rolled_back; not ok → it stays applied with `error` and the request is cleared. Throws
 * `conflict` when the database refuses the record (the claim is no longer this executor's, or the
 * changeset is no longer applied) and `database_unreachable` when it could not be asked.
 */
export async function finishChangesetRollback(
  db: TDb,
  options: { executorId: string; changesetId: string; ok: boolean; error?: string },
): Promise<TChangeset> {
  const { data, error } = await db.rpc("finish_changeset_rollback", {
    p_executor_id: options.executorId,
    p_changeset_id: options.changesetId,
    p_ok: options.ok,
    ...(options.error !== undefined ? { p_error: options.error } : {}),
  });
  if (error) throw readDbError(error, `Could not record the rollback of changeset ${options.changesetId}`, "conflict");
  const row = ZChangeset.safeParse(data);
  if (!row.success)
    throw new AppError("internal", { message: `finish_changeset_rollback answered no changeset for ${options.changesetId}` });
  return row.data;
}
