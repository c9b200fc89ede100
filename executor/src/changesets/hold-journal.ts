import fs from "node:fs";
import os from "node:os";
import type { TJournal } from "./changeset-journal.ts";

/**
 * Journals this process wrote and still stands behind: from just before the first file is written
 * until the database recorded the outcome (commit), or the outcome was settled otherwise. Recovery
 * leaves them alone, so a recovery running in this process never undoes an apply whose record is
 * on its way to the database.
 */
const held = new Set<string>();

const key = (workspace: string, changesetId: string) => `${workspace}\0${changesetId}`;

/** Marks the journal of `changesetId` in `workspace` (its real path) as this process's, in progress. */
export function holdJournal(workspace: string, changesetId: string): void {
  held.add(key(workspace, changesetId));
}

/** This process no longer stands behind the journal: recovery may settle it. */
export function releaseJournal(workspace: string, changesetId: string): void {
  held.delete(key(workspace, changesetId));
}

/**
 * Why recovery must not touch a journal now, or null when it may: this process holds it, or the
 * process that wrote it still runs on this host (another executor sharing the workspace).
 */
export function journalBusyReason(workspace: string, journal: TJournal): string | null {
  if (held.has(key(workspace, journal.changeset_id))) return "this executor is still applying it or recording its outcome";
  const { pid, hostname } = journal.owner;
  if (pid !== process.pid && hostname === os.hostname() && isRunning(pid)) {
    return `process ${pid} on this host (another executor sharing the workspace) is still working on it`;
  }
  return null;
}

/** True while `pid` runs (a zombie counts as gone); EPERM means it runs as another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    // Without /proc (macOS) the signal check is all there is.
    return true;
  }
}
