import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import type { TJournalOperation } from "./changeset-journal.ts";

/**
 * Whether the database recorded the outcome a journal of `changesetId` was written for (the
 * `isRecorded` of journal recovery). An apply is recorded when its apply_changeset proposal is
 * executed or the changeset is applied (or was since rolled back); a rollback when the changeset
 * is rolled_back. A changeset that no longer exists recorded nothing. Throws when the database
 * cannot be reached: recovery then keeps the journal for later.
 */
export async function isChangesetRecorded(db: TDb, changesetId: string, operation: TJournalOperation): Promise<boolean> {
  const changeset = await db.from("changesets").select("status").eq("id", changesetId).maybeSingle();
  if (changeset.error) throw readDbError(changeset.error, `Could not read changeset ${changesetId}`, "database_unreachable");
  const status = changeset.data?.status;
  if (operation === "rollback") return status === "rolled_back";
  if (status === "applied" || status === "rolled_back") return true;
  const executed = await db
    .from("action_proposals")
    .select("id")
    .eq("action_type", "apply_changeset")
    .eq("status", "executed")
    .eq("params->>changeset_id", changesetId)
    .limit(1);
  if (executed.error) throw readDbError(executed.error, `Could not read the proposal of changeset ${changesetId}`, "database_unreachable");
  return executed.data.length > 0;
}
