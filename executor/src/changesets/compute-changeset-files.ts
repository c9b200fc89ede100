import { AppError } from "@mission-control/shared/errors";
import { type CHANGESET_FILE_KINDS, CHANGESET_LIMITS, type TChangesetInput } from "@mission-control/shared/schemas";
import { FILE_HEADERS_ONLY, formatPatch, type StructuredPatch, structuredPatch } from "diff";
import { WorkspaceEscapeError } from "../actions/resolve-workspace-path.ts";
import { FileTooLargeError, readCurrentFile } from "./read-current-file.ts";
import { resolveChangesetPath } from "./resolve-changeset-path.ts";
import { sha256Hex } from "./sha256-hex.ts";

/** What a changeset does to one file. */
export type TChangesetFileKind = (typeof CHANGESET_FILE_KINDS)[number];

/**
 * One file of a changeset as propose_run_changeset stores it (changeset_files): the content it was
 * computed against (base, with its sha-256; null for a new file), the new content (null deletes),
 * the unified diff between them and its +/- line counts.
 */
export type TChangesetFileProposal = {
  path: string;
  change_kind: TChangesetFileKind;
  base_sha256: string | null;
  base_content: string | null;
  new_content: string | null;
  new_sha256: string | null;
  unified_diff: string;
  rationale: string;
  risk_notes: string;
  additions: number;
  deletions: number;
};

/** Lines of unchanged context around each change in a diff. */
const DIFF_CONTEXT_LINES = 3;
/** A diff that takes longer than this is refused rather than blocking the executor (it is computed in slices). */
const DIFF_TIMEOUT_MS = 10_000;
/** The longest a UTF-8 character can be: a file over maxFileChars × 4 bytes is too large without reading it. */
const MAX_UTF8_BYTES_PER_CHAR = 4;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Turns a validated changeset into the rows propose_run_changeset takes: reads each file's current
 * bytes in the workspace (resolved so that nothing escapes it or touches `.mission-control/`),
 * decides add / modify / delete, binds the file to the sha-256 of those bytes and computes the
 * unified diff with jsdiff. Every problem is collected and thrown at once as `invalid_input` with
 * what to do: a path outside the workspace, deleting or changing a file that is not there as
 * expected, a binary or non-UTF-8 file, a file over CHANGESET_LIMITS, a change that changes nothing.
 * Reads only; nothing in the workspace is created or written.
 */
export async function computeChangesetFiles(workspaceDir: string, input: TChangesetInput): Promise<TChangesetFileProposal[]> {
  const problems: string[] = [];
  const rows: TChangesetFileProposal[] = [];
  const seen = new Set<string>();
  for (const file of input.files) {
    const problem = (text: string) => problems.push(`${file.path}: ${text}`);
    let target: Awaited<ReturnType<typeof resolveChangesetPath>>;
    try {
      target = await resolveChangesetPath(workspaceDir, file.path, { create: false });
    } catch (err) {
      if (err instanceof WorkspaceEscapeError) {
        problem(`${err.message}; give a path relative to the workspace`);
        continue;
      }
      throw err;
    }
    if (seen.has(target.relative)) {
      problem(`names the same file as another entry (${target.relative}); list each file once`);
      continue;
    }
    seen.add(target.relative);

    let current: Awaited<ReturnType<typeof readCurrentFile>>;
    try {
      current = await readCurrentFile(target.file, { maxBytes: CHANGESET_LIMITS.maxFileChars * MAX_UTF8_BYTES_PER_CHAR });
    } catch (err) {
      if (err instanceof FileTooLargeError) {
        problem(
          `the file has ${err.bytes.toLocaleString("en-US")} bytes, more than a changeset may change; edit it outside Mission Control`,
        );
        continue;
      }
      problem(`cannot be read (${(err as Error).message}); changesets change regular files only`);
      continue;
    }

    let base: string | null = null;
    if (current) {
      if (current.bytes.includes(0)) {
        problem("the file is binary (it contains NUL bytes); changesets change text files only");
        continue;
      }
      try {
        base = utf8.decode(current.bytes);
      } catch {
        problem("the file is not UTF-8 text; changesets change UTF-8 text files only");
        continue;
      }
      if (base.length > CHANGESET_LIMITS.maxFileChars) {
        problem(
          `the file has ${base.length.toLocaleString("en-US")} characters, more than the ${CHANGESET_LIMITS.maxFileChars.toLocaleString("en-US")} a changeset may change; edit it outside Mission Control`,
        );
        continue;
      }
    }
    if (file.new_content?.includes("\0")) {
      problem("the new content contains NUL bytes; write text only");
      continue;
    }
    if (file.new_content === null && base === null) {
      problem("cannot be deleted because it does not exist; remove it from the changeset or check the path with list_files");
      continue;
    }
    if (file.new_content !== null && file.new_content === base) {
      problem("the new content is identical to the current file; leave the file out of the changeset");
      continue;
    }

    const changeKind: TChangesetFileKind = base === null ? "add" : file.new_content === null ? "delete" : "modify";
    const patch = await diffFile(target.relative, base, file.new_content);
    if (!patch) {
      problem(`the diff took longer than ${DIFF_TIMEOUT_MS / 1000} s to compute; split the change into smaller files or changesets`);
      continue;
    }
    const { additions, deletions } = countChangedLines(patch);
    rows.push({
      path: target.relative,
      change_kind: changeKind,
      base_sha256: current ? sha256Hex(current.bytes) : null,
      base_content: base,
      new_content: file.new_content,
      new_sha256: file.new_content === null ? null : sha256Hex(file.new_content),
      unified_diff: formatPatch(patch, FILE_HEADERS_ONLY),
      rationale: file.rationale,
      risk_notes: file.risk_notes,
      additions,
      deletions,
    });
  }
  if (problems.length > 0) {
    throw new AppError("invalid_input", {
      message: `The changeset cannot be proposed (${problems.length === 1 ? "1 file" : `${problems.length} files`}): ${problems.join("; ")}. Fix these files and propose the changeset again.`,
      details: { problems },
    });
  }
  return rows;
}

/**
 * The structured patch of one file (`a/`/`b/` names, `/dev/null` for a missing side, like git),
 * computed in slices so a large file does not block the event loop; undefined after the timeout.
 */
function diffFile(relative: string, base: string | null, next: string | null): Promise<StructuredPatch | undefined> {
  return new Promise((resolve) => {
    structuredPatch(
      base === null ? "/dev/null" : `a/${relative}`,
      next === null ? "/dev/null" : `b/${relative}`,
      base ?? "",
      next ?? "",
      undefined,
      undefined,
      { context: DIFF_CONTEXT_LINES, timeout: DIFF_TIMEOUT_MS, callback: resolve },
    );
  });
}

/** Added and removed lines of a patch (the "\ No newline at end of file" markers are neither). */
function countChangedLines(patch: StructuredPatch): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith("+")) additions += 1;
      else if (line.startsWith("-")) deletions += 1;
    }
  }
  return { additions, deletions };
}
