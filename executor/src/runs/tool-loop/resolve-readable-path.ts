import fs from "node:fs/promises";
import path from "node:path";
import { resolveWorkspacePath, WorkspaceEscapeError } from "../../actions/resolve-workspace-path.ts";

/** The folder of the executor's own state (journals) inside the workspace: never read, listed or searched. */
export const EXECUTOR_STATE_DIR = ".mission-control";

/** A path a read-only tool may read: the workspace's real path, the target's real path and the relative path the model sees. */
export type TReadablePath = { workspace: string; absolute: string; relative: string };

/** A read-only tool refused a path or found nothing there; the message is meant for the model. */
export class ToolPathError extends Error {
  constructor(
    message: string,
    readonly reason: "escape" | "executor_state" | "not_found" | "wrong_kind",
  ) {
    super(message);
    this.name = "ToolPathError";
  }
}

/**
 * Resolves a path a read-only tool was given, without creating anything: refuses absolute paths,
 * `..`, anything under `.mission-control/` and symlinks that lead out of the workspace. A file goes
 * through resolveWorkspacePath (after checking that its folder exists, so nothing is created); a
 * folder is resolved to its real path and checked the same way. `""` and `"."` are the workspace.
 */
export async function resolveReadablePath(
  workspaceDir: string,
  relativePath: string,
  expect: "file" | "directory",
): Promise<TReadablePath> {
  const asked = relativePath.trim();
  if (asked.includes("\0")) throw new ToolPathError("The path contains a NUL byte", "escape");
  if (path.isAbsolute(asked) || /^[A-Za-z]:/.test(asked)) {
    throw new ToolPathError(`${asked} is absolute: give a path relative to the workspace`, "escape");
  }
  const segments = asked.split(/[\\/]+/).filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw new ToolPathError(`${asked} leaves the workspace: paths may not contain ..`, "escape");
  if (segments[0] === EXECUTOR_STATE_DIR) throw executorStateError(asked);

  const workspace = await fs.realpath(workspaceDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") throw new ToolPathError("The workspace is empty (its folder does not exist yet)", "not_found");
    throw err;
  });
  const lexical = path.join(workspace, ...segments);
  const shown = segments.join("/") || ".";
  const stat = await fs.stat(lexical).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT" || err.code === "ENOTDIR") return null;
    throw err;
  });

  if (expect === "directory") {
    if (!stat) throw new ToolPathError(`No folder at ${shown}`, "not_found");
    if (!stat.isDirectory()) throw new ToolPathError(`${shown} is a file, not a folder: use read_file`, "wrong_kind");
    const real = await fs.realpath(lexical);
    const relative = relativeInside(workspace, real);
    if (relative === null) throw new ToolPathError(`${shown} goes through a symlink that points outside the workspace`, "escape");
    if (relative.split("/")[0] === EXECUTOR_STATE_DIR) throw executorStateError(shown);
    return { workspace, absolute: real, relative: relative || "." };
  }

  if (segments.length === 0)
    throw new ToolPathError("Give the path of a file: the workspace itself is a folder (use list_files)", "wrong_kind");
  // resolveWorkspacePath creates missing folders (it serves writes): only call it when the folder exists.
  if (!stat) throw new ToolPathError(`No file at ${shown}`, "not_found");
  if (stat.isDirectory()) throw new ToolPathError(`${shown} is a folder, not a file: use list_files`, "wrong_kind");
  try {
    const target = await resolveWorkspacePath(workspace, segments.join("/"));
    if (target.relative.split("/")[0] === EXECUTOR_STATE_DIR) throw executorStateError(shown);
    return { workspace: target.workspace, absolute: target.file, relative: target.relative };
  } catch (err) {
    if (err instanceof WorkspaceEscapeError) {
      throw new ToolPathError(err.message.replace("write to its target", "read its target"), "escape");
    }
    throw err;
  }
}

/** `candidate` relative to `root` with forward slashes ("" for the root itself), or null when it lies outside. */
export function relativeInside(root: string, candidate: string): string | null {
  const rel = path.relative(root, candidate);
  if (rel === "") return "";
  // Segments, not characters: a folder named "...." is inside.
  if (rel.split(path.sep)[0] === ".." || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join("/");
}

function executorStateError(shown: string): ToolPathError {
  return new ToolPathError(
    `${shown} is the executor's own state (${EXECUTOR_STATE_DIR}/): it is never read, listed or searched`,
    "executor_state",
  );
}

/** True when a read_file error answer says the file does not exist (the built-in agent then creates it). */
export function isMissingFileAnswer(content: string): boolean {
  return content.startsWith("No file at ");
}
