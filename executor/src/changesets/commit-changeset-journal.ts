import fs from "node:fs/promises";
import { removeJournal } from "./changeset-journal.ts";
import { releaseJournal } from "./hold-journal.ts";

/**
 * Confirms that the database recorded an apply (or a rollback) of `changesetId`: its journal is
 * deleted, so no recovery will ever undo it. Call it only after the record succeeded.
 */
export async function commitChangesetJournal(workspaceDir: string, changesetId: string): Promise<void> {
  const workspace = await fs.realpath(workspaceDir);
  try {
    await removeJournal(workspace, changesetId);
  } finally {
    // Even when the delete failed: recovery (which will find the apply recorded) may settle it.
    releaseJournal(workspace, changesetId);
  }
}
