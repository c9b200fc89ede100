import fs from "node:fs/promises";
import { resolveReadablePath } from "./resolve-readable-path.ts";
import type { TToolOutcome } from "./tool-outcome.ts";
import { walkWorkspace } from "./walk-workspace.ts";

/** Matches one search_text answer shows by default, and at most. */
export const SEARCH_TEXT_RESULTS = { default: 30, max: 100 } as const;
/** What one search may visit: entries walked, bytes read, and the largest file it reads. */
export const SEARCH_TEXT_LIMITS = { maxEntries: 5_000, maxBytes: 20 * 1024 * 1024, maxFileBytes: 1024 * 1024, depth: 12 } as const;
const PREVIEW_CHARS = 200;

/**
 * search_text: the lines of the workspace's text files that contain `query` (case-insensitive,
 * literal), as `path:line: text`, in path order. Walks without following symlinks, skips `.git`,
 * `node_modules`, `.mission-control`, binary files and files over 1 MB, and stops at 5,000 entries
 * or 20 MB read; the answer says when a limit cut the search short.
 */
export async function searchTextTool(
  workspaceDir: string,
  args: { query: string; path?: string | undefined; max_results?: number | undefined },
  signal?: AbortSignal,
): Promise<TToolOutcome> {
  const root = await resolveReadablePath(workspaceDir, args.path ?? ".", "directory");
  const maxResults = Math.min(SEARCH_TEXT_RESULTS.max, Math.max(1, args.max_results ?? SEARCH_TEXT_RESULTS.default));
  const needle = args.query.toLowerCase();
  const matches: string[] = [];
  const files = new Set<string>();
  let bytesRead = 0;
  let filesSearched = 0;
  let stoppedBy: string | null = null;
  const { capped } = await walkWorkspace(root, {
    maxDepth: SEARCH_TEXT_LIMITS.depth,
    maxEntries: SEARCH_TEXT_LIMITS.maxEntries,
    ...(signal ? { signal } : {}),
    visit: async (entry) => {
      if (entry.kind !== "file") return undefined;
      const stat = await fs.stat(entry.absolute).catch(() => null);
      if (!stat || stat.size > SEARCH_TEXT_LIMITS.maxFileBytes) return undefined;
      if (bytesRead + stat.size > SEARCH_TEXT_LIMITS.maxBytes) {
        stoppedBy = `${SEARCH_TEXT_LIMITS.maxBytes / (1024 * 1024)} MB read`;
        return true;
      }
      const buffer = await fs.readFile(entry.absolute).catch(() => null);
      if (!buffer) return undefined;
      bytesRead += buffer.length;
      if (buffer.includes(0)) return undefined;
      filesSearched += 1;
      const lines = buffer.toString("utf8").split("\n");
      for (const [index, line] of lines.entries()) {
        if (!line.toLowerCase().includes(needle)) continue;
        matches.push(`${entry.relative}:${index + 1}: ${preview(line)}`);
        files.add(entry.relative);
        if (matches.length >= maxResults) {
          stoppedBy = `${maxResults} matches`;
          return true;
        }
      }
      return undefined;
    },
  });
  if (capped) stoppedBy = `${SEARCH_TEXT_LIMITS.maxEntries} entries`;
  const where = root.relative === "." ? "the workspace" : `${root.relative}/`;
  const found = `${matches.length} ${matches.length === 1 ? "match" : "matches"} in ${files.size} ${files.size === 1 ? "file" : "files"}`;
  const header = `${found} for ${JSON.stringify(args.query)} in ${where} (${filesSearched} text files searched)`;
  const notes = stoppedBy ? [`(stopped at ${stoppedBy}: narrow the search with path or a more specific query)`] : [];
  return {
    content: [header, ...matches, ...notes].join("\n"),
    event: {
      kind: "tool_call",
      summary: `Searched ${where} for ${JSON.stringify(clip(args.query, 60))} (${found})`,
      data: {
        query: args.query,
        path: root.relative,
        matches: matches.length,
        files: files.size,
        files_searched: filesSearched,
        stopped_by: stoppedBy,
      },
    },
  };
}

function preview(line: string): string {
  return clip(line.trim(), PREVIEW_CHARS);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
