import fs from "node:fs/promises";
import { formatNumberedLines } from "./format-numbered-lines.ts";
import { resolveReadablePath, ToolPathError } from "./resolve-readable-path.ts";
import type { TToolOutcome } from "./tool-outcome.ts";

/** read_file reads at most this much of a file. */
export const READ_FILE_MAX_BYTES = 200 * 1024;
/** Lines one read_file answer shows by default, and at most. */
export const READ_FILE_LINES = { default: 400, max: 2000 } as const;
/** A file with a NUL byte in its first bytes is binary. */
const BINARY_SNIFF_BYTES = 8 * 1024;

/**
 * read_file: a window of a text file of the workspace with line numbers (see formatNumberedLines).
 * Reads at most 200 KB; refuses binary files, folders, paths outside the workspace and the
 * executor's `.mission-control/`.
 */
export async function readFileTool(
  workspaceDir: string,
  args: { path: string; start_line?: number | undefined; max_lines?: number | undefined },
): Promise<TToolOutcome> {
  const target = await resolveReadablePath(workspaceDir, args.path, "file");
  const handle = await fs.open(target.absolute, "r");
  let bytes: number;
  let buffer: Buffer;
  try {
    bytes = (await handle.stat()).size;
    buffer = Buffer.alloc(Math.min(bytes, READ_FILE_MAX_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    buffer = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    throw new ToolPathError(
      `${target.relative} looks like a binary file (it contains NUL bytes): read_file reads text files only`,
      "wrong_kind",
    );
  }
  const truncated = buffer.length < bytes;
  const text = buffer.toString("utf8");
  const lines = text === "" ? [] : text.split("\n");
  const noFinalNewline = !text.endsWith("\n");
  if (!noFinalNewline) lines.pop();
  // A prefix of a larger file may end in the middle of a line (or of a character): drop that line.
  if (truncated && noFinalNewline) lines.pop();
  const totalLines = truncated ? null : lines.length;
  const startLine = Math.max(1, args.start_line ?? 1);
  const maxLines = Math.min(READ_FILE_LINES.max, Math.max(1, args.max_lines ?? READ_FILE_LINES.default));
  if (lines.length > 0 && startLine > lines.length) {
    const readable = truncated ? `${lines.length} readable lines` : `${lines.length} ${lines.length === 1 ? "line" : "lines"}`;
    throw new ToolPathError(`${target.relative} has ${readable}: start_line ${startLine} is past its end`, "wrong_kind");
  }
  const shown = lines.slice(startLine - 1, startLine - 1 + maxLines);
  const content = formatNumberedLines({
    path: target.relative,
    lines: shown,
    startLine,
    totalLines,
    bytes,
    noFinalNewline,
    readBytes: truncated ? buffer.length : null,
  });
  const range = startLine === 1 && totalLines !== null && shown.length === totalLines ? "" : `, from line ${startLine}`;
  return {
    content,
    event: {
      kind: "read_file",
      summary: `Read ${target.relative} (${shown.length} ${shown.length === 1 ? "line" : "lines"}${range})`,
      data: { path: target.relative, bytes, lines: shown.length, start_line: startLine, total_lines: totalLines },
    },
  };
}
