import { AppError } from "@mission-control/shared/errors";
import { WorkspaceEscapeError } from "../actions/resolve-workspace-path.ts";
import { readCurrentFile, type TCurrentFile } from "./read-current-file.ts";
import { resolveChangesetPath } from "./resolve-changeset-path.ts";
import { sha256Hex } from "./sha256-hex.ts";

/** A file whose current content must have a given sha-256 (null: the file must not exist). */
export type TExpectedFile = { path: string; sha256: string | null };

/** The files as they are now, in the order given, with the paths that differ from what was expected. */
export type TCurrentFiles = { files: { path: string; current: TCurrentFile | null }[]; changed: string[] };

/**
 * Reads every file (resolved inside the workspace, nothing created) and compares it with the
 * sha-256 it is expected to have. A path that would leave the workspace is `invalid_input`.
 */
export async function checkCurrentFiles(workspace: string, expected: readonly TExpectedFile[]): Promise<TCurrentFiles> {
  const files: TCurrentFiles["files"] = [];
  const changed: string[] = [];
  for (const file of expected) {
    let relative: string;
    let current: TCurrentFile | null;
    try {
      const target = await resolveChangesetPath(workspace, file.path, { create: false });
      relative = target.relative;
      current = await readCurrentFile(target.file);
    } catch (err) {
      if (err instanceof WorkspaceEscapeError) {
        throw new AppError("invalid_input", { message: `${file.path}: ${err.message}. Nothing was written.`, cause: err });
      }
      throw new AppError("internal", {
        message: `Could not read ${file.path}: ${(err as Error).message}. Nothing was written.`,
        cause: err,
      });
    }
    const matches = file.sha256 === null ? current === null : current !== null && sha256Hex(current.bytes) === file.sha256;
    if (!matches) changed.push(relative);
    files.push({ path: relative, current });
  }
  return { files, changed };
}
