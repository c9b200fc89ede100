import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { TJournal } from "./changeset-journal.ts";
import { fsyncDir } from "./changeset-journal.ts";
import { readCurrentFile } from "./read-current-file.ts";
import { resolveChangesetPath } from "./resolve-changeset-path.ts";

/** Seams for tests: the SIGKILL test pauses after a file was put in place. */
export type TWriteHooks = {
  /** Called after file `index` (in journal order) has its new state on disk. */
  afterFile?: (index: number, path: string) => Promise<void> | void;
};

/** Temporary files of a write: `.<name>.<8 hex>.mc-tmp` next to the target. */
const tempName = (base: string) => `.${base}.${crypto.randomUUID().slice(0, 8)}.mc-tmp`;
const isTempOf = (base: string, name: string) =>
  name.startsWith(`.${base}.`) && name.endsWith(".mc-tmp") && /^[0-9a-f]{8}$/.test(name.slice(base.length + 2, -".mc-tmp".length));

/**
 * Puts every file of `journal` in its `previous` or `next` state: bytes are written to a temporary
 * file in the target's own folder, fsynced and renamed over the target (folders created as
 * needed; paths resolved again so nothing leaves the workspace), an absent state deletes the file.
 * A file already in that state is left untouched. Then every folder touched is fsynced. Running it
 * again after a crash finishes the job: it is what recovery does.
 */
export async function putFilesInState(
  workspace: string,
  journal: TJournal,
  state: "previous" | "next",
  hooks: TWriteHooks = {},
): Promise<void> {
  const dirs = new Set<string>();
  for (const [index, entry] of journal.files.entries()) {
    const content = entry[state];
    const mode = state === "previous" ? entry.previous_mode : entry.next_mode;
    if (content === null) {
      const target = await resolveChangesetPath(workspace, entry.path, { create: false });
      const existed = await fs.unlink(target.file).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code === "ENOENT") return false;
          throw err;
        },
      );
      if (existed) dirs.add(path.dirname(target.file));
    } else {
      const bytes = Buffer.from(content, "base64");
      const target = await resolveChangesetPath(workspace, entry.path, { create: true });
      const current = await readCurrentFile(target.file);
      const same = current?.bytes.equals(bytes) && (mode === null || current.mode === mode);
      if (!same) {
        await writeReplacing(target.file, bytes, mode ?? current?.mode ?? null);
        dirs.add(path.dirname(target.file));
      }
    }
    await hooks.afterFile?.(index, entry.path);
  }
  for (const dir of dirs) await fsyncDir(dir);
}

/** Writes `bytes` to a temporary file beside `file`, fsyncs it and renames it over `file`. */
async function writeReplacing(file: string, bytes: Buffer, mode: number | null): Promise<void> {
  const temp = path.join(path.dirname(file), tempName(path.basename(file)));
  try {
    const handle = await fs.open(temp, "wx", mode ?? 0o644);
    try {
      await handle.writeFile(bytes);
      // The umask narrowed the mode given to open; a restored file gets exactly its old bits.
      if (mode !== null) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => {});
    throw err;
  }
}

/** Deletes temporary files a killed write left beside the journal's files. */
export async function removeLeftoverTemps(workspace: string, journal: TJournal): Promise<void> {
  for (const entry of journal.files) {
    const target = await resolveChangesetPath(workspace, entry.path, { create: false }).catch(() => null);
    if (!target) continue;
    const base = path.basename(target.file);
    const names = await fs.readdir(path.dirname(target.file)).catch(() => [] as string[]);
    for (const name of names) if (isTempOf(base, name)) await fs.rm(path.join(path.dirname(target.file), name), { force: true });
  }
}
