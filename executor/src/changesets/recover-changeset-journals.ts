import fs from "node:fs/promises";
import { listJournals, readJournal, removeJournal, type TJournalOperation } from "./changeset-journal.ts";
import { journalBusyReason, releaseJournal } from "./hold-journal.ts";
import { putFilesInState, removeLeftoverTemps } from "./put-files-in-state.ts";
import { withWorkspaceLock } from "./with-workspace-lock.ts";

/**
 * Whether the database recorded the outcome a journal was written for: for an `apply`, that the
 * changeset was applied; for a `rollback`, that it was rolled back.
 */
export type TIsRecorded = (changesetId: string, operation: TJournalOperation) => Promise<boolean>;

/** How recovering one journal ended. */
export type TJournalRecovery =
  /** The database recorded it: every file now has its new content. */
  | { changesetId: string; outcome: "completed"; operation: TJournalOperation }
  /** The database did not: every file has its content from before. */
  | { changesetId: string; outcome: "undone"; operation: TJournalOperation }
  /** Left alone: its writer is still at work (see journalBusyReason). */
  | { changesetId: string; outcome: "skipped"; reason: string }
  /** Could not be settled now (database unreachable, unreadable journal, a file that cannot be written); the journal stays. */
  | { changesetId: string; outcome: "failed"; error: string };

/** A journal file that was never put in place is this old before recovery deletes it (its writer may be renaming it now). */
const LEFTOVER_TEMP_AGE_MS = 60_000;

/**
 * Settles every journal left in the workspace, at executor start-up: a crash between writing the
 * journal and recording the outcome left files half written. When `isRecorded` says the database
 * recorded the outcome every file is put in its new state (rolled forward), otherwise back in its
 * previous state (rolled back); then the journal is deleted. Journals whose writer still runs are
 * skipped; a journal that cannot be settled now stays for the next start (it never throws for
 * one journal). Nothing to do when the workspace does not exist.
 */
export async function recoverChangesetJournals(workspaceDir: string, isRecorded: TIsRecorded): Promise<TJournalRecovery[]> {
  const workspace = await fs.realpath(workspaceDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
  if (workspace === null) return [];
  const { changesetIds, leftovers } = await listJournals(workspace);
  for (const leftover of leftovers) {
    const stat = await fs.stat(leftover).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > LEFTOVER_TEMP_AGE_MS) await fs.rm(leftover, { force: true });
  }
  const results: TJournalRecovery[] = [];
  for (const changesetId of changesetIds) {
    const result = await recoverChangesetJournal(workspace, changesetId, isRecorded);
    if (result) results.push(result);
  }
  return results;
}

/**
 * Settles the journal of one changeset (see recoverChangesetJournals); null when it has none. The
 * rollback worker calls it before rolling back, so a rollback never starts from half-applied files.
 */
export async function recoverChangesetJournal(
  workspaceDir: string,
  changesetId: string,
  isRecorded: TIsRecorded,
): Promise<TJournalRecovery | null> {
  const workspace = await fs.realpath(workspaceDir);
  return withWorkspaceLock(workspace, async () => {
    try {
      const journal = await readJournal(workspace, changesetId);
      if (!journal) return null;
      const busy = journalBusyReason(workspace, journal);
      if (busy) return { changesetId, outcome: "skipped", reason: busy };
      const recorded = await isRecorded(changesetId, journal.operation);
      await putFilesInState(workspace, journal, recorded ? "next" : "previous");
      await removeLeftoverTemps(workspace, journal);
      await removeJournal(workspace, changesetId);
      releaseJournal(workspace, changesetId);
      return { changesetId, outcome: recorded ? "completed" : "undone", operation: journal.operation };
    } catch (err) {
      return { changesetId, outcome: "failed", error: (err as Error).message };
    }
  });
}
