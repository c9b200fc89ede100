import { AppError } from "@mission-control/shared/errors";
import { type TChangeset, type TChangesetFile, ZChangeset, ZChangesetFile } from "@mission-control/shared/rows";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * A changeset and its files in position order (service role): all of them, or only `paths`. Null
 * when the changeset does not exist. Rows are checked with the shared row schemas.
 */
export async function readChangeset(
  db: TDb,
  changesetId: string,
  options: { paths?: readonly string[] } = {},
): Promise<{ changeset: TChangeset; files: TChangesetFile[] } | null> {
  const found = await db.from("changesets").select("*").eq("id", changesetId).maybeSingle();
  if (found.error) throw readDbError(found.error, `Could not read changeset ${changesetId}`, "database_unreachable");
  if (!found.data) return null;
  let query = db.from("changeset_files").select("*").eq("changeset_id", changesetId);
  if (options.paths) query = query.in("path", [...options.paths]);
  const files = await query.order("position", { ascending: true });
  if (files.error) throw readDbError(files.error, `Could not read the files of changeset ${changesetId}`, "database_unreachable");
  const changeset = ZChangeset.safeParse(found.data);
  const rows = ZChangesetFile.array().safeParse(files.data);
  if (!changeset.success || !rows.success) {
    throw new AppError("internal", {
      message: `Changeset ${changesetId} does not have the shape the executor expects: update the executor to the database's version`,
      cause: changeset.error ?? rows.error,
    });
  }
  return { changeset: changeset.data, files: rows.data };
}
