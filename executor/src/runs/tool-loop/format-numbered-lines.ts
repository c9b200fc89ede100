/** What read_file shows of a file: a window of its lines and what the model needs to know about the rest. */
export type TNumberedLines = {
  path: string;
  /** The lines shown, without their line breaks. */
  lines: string[];
  /** Number of the first line shown, from 1. */
  startLine: number;
  /** Lines the file has, or null when only a prefix of a large file was read. */
  totalLines: number | null;
  bytes: number;
  /** True when the file ends without a line break (only said when its last line is shown). */
  noFinalNewline: boolean;
  /** Set when the file is larger than what read_file reads. */
  readBytes: number | null;
};

const END = "(end of file)";
const NO_NEWLINE = "(no newline at end of file)";

/**
 * Formats a read_file answer: a header line, then one line per file line as `<number>\t<text>`,
 * then a note: the end of the file, or how to read on. parseNumberedLines reads it back (the
 * built-in scripted agent rebuilds a file's content from it, as a real model would).
 */
export function formatNumberedLines(file: TNumberedLines): string {
  const last = file.startLine + file.lines.length - 1;
  const range = file.lines.length === 0 ? "no lines" : `lines ${file.startLine}-${last}`;
  const of = file.totalLines === null ? "of a larger file" : `of ${file.totalLines}`;
  const header = `${file.path} · ${range} ${of} · ${file.bytes} bytes${file.readBytes === null ? "" : ` (only the first ${file.readBytes} bytes can be read)`}`;
  const body = file.lines.map((line, index) => `${file.startLine + index}\t${line}`);
  const notes: string[] = [];
  if (file.totalLines !== null && last >= file.totalLines) {
    if (file.noFinalNewline && file.lines.length > 0) notes.push(NO_NEWLINE);
    notes.push(END);
  } else if (file.totalLines !== null) {
    notes.push(`(${file.totalLines - last} more lines: call read_file with start_line=${last + 1})`);
  } else {
    notes.push(`(more lines follow: call read_file with start_line=${last + 1}; the rest of the file cannot be read)`);
  }
  return [header, ...body, ...notes].join("\n");
}

/**
 * Reads a read_file answer back: the whole content when the answer shows the file from its first
 * line to its end, otherwise null (a partial view cannot be rewritten safely).
 */
export function parseNumberedLines(text: string): { path: string; content: string } | null {
  const rows = text.split("\n");
  const header = rows[0] ?? "";
  const pathEnd = header.indexOf(" · ");
  if (pathEnd <= 0 || rows.at(-1) !== END) return null;
  const lines: string[] = [];
  let noFinalNewline = false;
  for (const row of rows.slice(1, -1)) {
    if (row === NO_NEWLINE) {
      noFinalNewline = true;
      continue;
    }
    const match = /^(\d+)\t(.*)$/s.exec(row);
    if (!match || Number(match[1]) !== lines.length + 1) return null;
    lines.push(match[2] ?? "");
  }
  const content = lines.length === 0 ? "" : `${lines.join("\n")}${noFinalNewline ? "" : "\n"}`;
  return { path: header.slice(0, pathEnd), content };
}
