import fs from "node:fs/promises";
import path from "node:path";

/** Where a file_write may write, after every symlink on the way was resolved. */
export type TWorkspaceTarget = {
  /** The real path of the workspace directory. */
  workspace: string;
  /** The real path the file will have (its parent resolved; the file itself is not a symlink). */
  file: string;
  /** The path relative to the workspace, with forward slashes. */
  relative: string;
};

/** Thrown when a path would leave the workspace; the message says why. */
export class WorkspaceEscapeError extends Error {}

/**
 * True when `candidate` lies strictly below `root`. Compares path segments, not characters: a
 * file or folder named `....` or `..x` is inside; only a first segment that is exactly `..` leaves.
 */
export function isInsideWorkspace(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== "" && rel.split(path.sep)[0] !== ".." && !path.isAbsolute(rel);
}

const inside = isInsideWorkspace;

/**
 * Resolves `relativePath` inside `workspaceDir` and refuses anything that escapes it: absolute
 * paths, `..`, and symlinks (in a parent directory or as the file itself) that point outside.
 * Creates the workspace and the missing parent directories, then checks the parent's real path
 * again, so a directory swapped for a symlink is caught too.
 */
export async function resolveWorkspacePath(workspaceDir: string, relativePath: string): Promise<TWorkspaceTarget> {
  if (relativePath.includes("\0")) throw new WorkspaceEscapeError("The path contains a NUL byte");
  if (path.isAbsolute(relativePath) || /^[A-Za-z]:/.test(relativePath)) {
    throw new WorkspaceEscapeError(`${relativePath} is absolute: give a path relative to the workspace`);
  }
  await fs.mkdir(workspaceDir, { recursive: true });
  const workspace = await fs.realpath(workspaceDir);
  const lexical = path.resolve(workspace, relativePath);
  if (!inside(workspace, lexical)) throw new WorkspaceEscapeError(`${relativePath} leaves the workspace`);

  // Resolve the deepest parent that exists: a symlinked directory on the way must still land inside.
  const parent = path.dirname(lexical);
  let existing = parent;
  for (;;) {
    try {
      const real = await fs.realpath(existing);
      if (real !== workspace && !inside(workspace, real)) {
        throw new WorkspaceEscapeError(`${relativePath} goes through a symlink that points outside the workspace`);
      }
      break;
    } catch (err) {
      if (err instanceof WorkspaceEscapeError) throw err;
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || existing === workspace) throw err;
      existing = path.dirname(existing);
    }
  }
  await fs.mkdir(parent, { recursive: true });
  const realParent = await fs.realpath(parent);
  if (realParent !== workspace && !inside(workspace, realParent)) {
    throw new WorkspaceEscapeError(`${relativePath} goes through a symlink that points outside the workspace`);
  }
  const file = path.join(realParent, path.basename(lexical));
  const stat = await fs.lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
  if (stat?.isSymbolicLink()) {
    const target = await fs.realpath(file).catch(() => null);
    throw new WorkspaceEscapeError(
      target && inside(workspace, target)
        ? `${relativePath} is a symlink: write to its target inside the workspace instead`
        : `${relativePath} is a symlink that points outside the workspace`,
    );
  }
  if (stat && !stat.isFile()) throw new WorkspaceEscapeError(`${relativePath} exists and is not a regular file`);
  return { workspace, file, relative: path.relative(workspace, file).split(path.sep).join("/") };
}
