import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { EXECUTOR_STATE_DIR } from "./resolve-changeset-path.ts";

/** What a journal was written for: applying a changeset's files, or rolling them back. */
export type TJournalOperation = "apply" | "rollback";

/** One file in a journal: its bytes (base64) and permission bits before and after; null is "absent". */
const ZJournalFile = z.strictObject({
  path: z.string().min(1),
  previous: z.string().nullable(),
  previous_mode: z.int().nullable(),
  next: z.string().nullable(),
  next_mode: z.int().nullable(),
});
/** One file's two states as a journal keeps them. */
export type TJournalFile = z.infer<typeof ZJournalFile>;

const ZJournal = z.strictObject({
  version: z.literal(1),
  changeset_id: z.string(),
  operation: z.enum(["apply", "rollback"]),
  /** The process that wrote it: recovery leaves alone a journal whose writer still runs on this host. */
  owner: z.strictObject({ pid: z.int(), hostname: z.string() }),
  created_at: z.string(),
  files: z.array(ZJournalFile),
});
/**
 * The write-ahead record of an apply or a rollback, written and fsynced before the first file is
 * touched and removed only once the database recorded the outcome: with it, recovery can put
 * every file back in its previous state or forward in its next state after a crash at any point.
 */
export type TJournal = z.infer<typeof ZJournal>;

/** Changeset ids name journal files, so they may hold nothing that walks out of the folder. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The folder of the journals under the workspace (its real path). */
export function journalDir(workspace: string): string {
  return path.join(workspace, EXECUTOR_STATE_DIR, "journal");
}

/** Where the journal of `changesetId` lives. */
export function journalPath(workspace: string, changesetId: string): string {
  if (!SAFE_ID.test(changesetId)) throw new Error(`"${changesetId}" is not a changeset id`);
  return path.join(journalDir(workspace), `${changesetId}.json`);
}

/** A journal for `files` owned by this process. */
export function newJournal(changesetId: string, operation: TJournalOperation, files: TJournalFile[]): TJournal {
  return {
    version: 1,
    changeset_id: changesetId,
    operation,
    owner: { pid: process.pid, hostname: os.hostname() },
    created_at: new Date().toISOString(),
    files,
  };
}

/**
 * Writes the journal durably: a temporary file, fsynced, renamed into place, the folder fsynced.
 * A journal is therefore either complete or absent; a crash before the rename leaves only a
 * `.tmp` file, which recovery deletes (no workspace file was touched yet).
 */
export async function writeJournal(workspace: string, journal: TJournal): Promise<string> {
  const dir = journalDir(workspace);
  await fs.mkdir(dir, { recursive: true });
  const file = journalPath(workspace, journal.changeset_id);
  const temp = path.join(dir, `.${journal.changeset_id}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    const handle = await fs.open(temp, "wx", 0o600);
    try {
      await handle.writeFile(JSON.stringify(journal), "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => {});
    throw err;
  }
  await fsyncDir(dir);
  return file;
}

/** The journal of `changesetId`, or null when there is none. */
export async function readJournal(workspace: string, changesetId: string): Promise<TJournal | null> {
  const text = await fs.readFile(journalPath(workspace, changesetId), "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
  return text === null ? null : ZJournal.parse(JSON.parse(text));
}

/** The changeset ids with a journal, and the leftover temporary files of journals never put in place. */
export async function listJournals(workspace: string): Promise<{ changesetIds: string[]; leftovers: string[] }> {
  const names = await fs.readdir(journalDir(workspace)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [];
    throw err;
  });
  const changesetIds = names.filter((name) => name.endsWith(".json")).map((name) => name.slice(0, -".json".length));
  const leftovers = names.filter((name) => name.endsWith(".tmp")).map((name) => path.join(journalDir(workspace), name));
  return { changesetIds: changesetIds.filter((id) => SAFE_ID.test(id)).sort(), leftovers };
}

/** Deletes the journal of `changesetId` durably (no journal: nothing to do). */
export async function removeJournal(workspace: string, changesetId: string): Promise<void> {
  await fs.rm(journalPath(workspace, changesetId), { force: true });
  await fsyncDir(journalDir(workspace)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw err;
  });
}

/** Makes a folder's entries (renames, new and deleted files) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
