import { AppError } from "@mission-control/shared/errors";
import { readJournal, removeJournal, type TJournal, writeJournal } from "./changeset-journal.ts";
import { holdJournal, releaseJournal } from "./hold-journal.ts";
import { putFilesInState, type TWriteHooks } from "./put-files-in-state.ts";

/**
 * The all-or-none write shared by apply and rollback: the journal is written and fsynced first,
 * then every file is put in its next state. A write that fails puts every file back and removes
 * the journal before rethrowing; a crash leaves the journal for recovery. On success the journal
 * stays, held by this process, until the caller confirms the database recorded the outcome
 * (commitChangesetJournal) or settles it otherwise.
 */
export async function writeWithJournal(
  /** The workspace's real path. */
  workspace: string,
  journal: TJournal,
  hooks: TWriteHooks = {},
): Promise<void> {
  if (await readJournal(workspace, journal.changeset_id)) {
    throw new AppError("conflict", {
      message: `Changeset ${journal.changeset_id} has an unfinished apply or rollback in ${workspace}: nothing was written. Restart the executor (its start-up recovery settles it against the database) and try again.`,
    });
  }
  holdJournal(workspace, journal.changeset_id);
  try {
    await writeJournal(workspace, journal);
  } catch (err) {
    releaseJournal(workspace, journal.changeset_id);
    throw new AppError("internal", {
      message: `Could not write the journal in ${workspace}: ${(err as Error).message}. Nothing was written.`,
      cause: err,
    });
  }
  try {
    await putFilesInState(workspace, journal, "next", hooks);
  } catch (err) {
    const reason = (err as Error).message;
    try {
      await putFilesInState(workspace, journal, "previous");
      await removeJournal(workspace, journal.changeset_id);
    } catch (undoErr) {
      throw new AppError("internal", {
        message: `Writing the files failed (${reason}) and putting them back failed too (${(undoErr as Error).message}): restart the executor, its start-up recovery restores them from the journal.`,
        cause: err,
      });
    } finally {
      releaseJournal(workspace, journal.changeset_id);
    }
    throw new AppError("internal", { message: `Could not write the files (${reason}): every file was put back as it was.`, cause: err });
  }
}
