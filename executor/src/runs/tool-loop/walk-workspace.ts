import fs from "node:fs/promises";
import path from "node:path";
import { EXECUTOR_STATE_DIR } from "./resolve-readable-path.ts";

/** Folders no workspace tool enters: version control, dependencies, the executor's own state. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([".git", "node_modules", EXECUTOR_STATE_DIR]);

/** One entry met by the walk; `relative` uses forward slashes. Symlinks are reported, never followed. */
export type TWalkEntry = { relative: string; absolute: string; kind: "file" | "directory" | "symlink"; depth: number };

/**
 * Walks a folder breadth-first in name order, without following symlinks and without entering
 * SKIPPED_DIRS, down to `maxDepth` (1: the folder's own entries). Stops after `maxEntries` entries
 * (`capped` then says so) or when the signal aborts.
 */
export async function walkWorkspace(
  root: { absolute: string; relative: string },
  options: {
    maxDepth: number;
    maxEntries: number;
    signal?: AbortSignal;
    visit: (entry: TWalkEntry) => Promise<boolean | undefined> | boolean | undefined;
  },
): Promise<{ visited: number; capped: boolean }> {
  const queue: { absolute: string; relative: string; depth: number }[] = [{ ...root, depth: 0 }];
  let visited = 0;
  for (let next = queue.shift(); next; next = queue.shift()) {
    options.signal?.throwIfAborted();
    const entries = await fs.readdir(next.absolute, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (visited >= options.maxEntries) return { visited, capped: true };
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const kind = entry.isSymbolicLink() ? "symlink" : entry.isDirectory() ? "directory" : entry.isFile() ? "file" : null;
      if (!kind) continue;
      visited += 1;
      const relative = next.relative === "." || next.relative === "" ? entry.name : `${next.relative}/${entry.name}`;
      const absolute = path.join(next.absolute, entry.name);
      const stop = await options.visit({ relative, absolute, kind, depth: next.depth + 1 });
      if (stop === true) return { visited, capped: false };
      if (kind === "directory" && next.depth + 1 < options.maxDepth) queue.push({ absolute, relative, depth: next.depth + 1 });
    }
  }
  return { visited, capped: false };
}
