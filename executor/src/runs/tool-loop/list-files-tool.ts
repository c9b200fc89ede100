import fs from "node:fs/promises";
import { resolveReadablePath } from "./resolve-readable-path.ts";
import type { TToolOutcome } from "./tool-outcome.ts";
import { walkWorkspace } from "./walk-workspace.ts";

/** How deep list_files goes by default, and at most. */
export const LIST_FILES_DEPTH = { default: 2, max: 4 } as const;
/** Entries one list_files answer shows at most. */
export const LIST_FILES_MAX_ENTRIES = 500;

/**
 * list_files: the folders and files under a folder of the workspace (default: its root), one per
 * line with sizes, folders ending in `/`, symlinks in `@` and never followed. Skips `.git`,
 * `node_modules` and `.mission-control`; at most 4 levels and 500 entries.
 */
export async function listFilesTool(
  workspaceDir: string,
  args: { path?: string | undefined; depth?: number | undefined },
  signal?: AbortSignal,
): Promise<TToolOutcome> {
  const root = await resolveReadablePath(workspaceDir, args.path ?? ".", "directory");
  const depth = Math.min(LIST_FILES_DEPTH.max, Math.max(1, args.depth ?? LIST_FILES_DEPTH.default));
  const lines: string[] = [];
  let files = 0;
  let folders = 0;
  const { capped } = await walkWorkspace(root, {
    maxDepth: depth,
    maxEntries: LIST_FILES_MAX_ENTRIES,
    ...(signal ? { signal } : {}),
    visit: async (entry) => {
      if (entry.kind === "directory") {
        folders += 1;
        lines.push(`${entry.relative}/`);
      } else if (entry.kind === "symlink") {
        lines.push(`${entry.relative}@`);
      } else {
        files += 1;
        const size = await fs
          .stat(entry.absolute)
          .then((stat) => stat.size)
          .catch(() => null);
        lines.push(size === null ? entry.relative : `${entry.relative} (${formatSize(size)})`);
      }
      return undefined;
    },
  });
  lines.sort();
  const where = root.relative === "." ? "the workspace" : `${root.relative}/`;
  const header = `${where}: ${files} ${files === 1 ? "file" : "files"} and ${folders} ${folders === 1 ? "folder" : "folders"}, ${depth} ${depth === 1 ? "level" : "levels"} deep`;
  const notes = capped ? [`(stopped at ${LIST_FILES_MAX_ENTRIES} entries: list a subfolder or lower the depth)`] : [];
  const content = [header, ...(lines.length > 0 ? lines : ["(empty)"]), ...notes].join("\n");
  return {
    content,
    event: {
      kind: "tool_call",
      summary: `Listed ${where} (${files} ${files === 1 ? "file" : "files"}, ${folders} ${folders === 1 ? "folder" : "folders"})`,
      data: { path: root.relative, depth, files, folders, capped },
    },
  };
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
