import fs from "node:fs/promises";
import path from "node:path";
import { isInsideWorkspace, resolveWorkspacePath, type TWorkspaceTarget, WorkspaceEscapeError } from "../actions/resolve-workspace-path.ts";

/** The executor's own folder in the workspace (journals): no changeset reads or writes inside it. */
export const EXECUTOR_STATE_DIR = ".mission-control";

const inside = isInsideWorkspace;

/**
 * Resolves a changeset path inside the workspace with resolveWorkspacePath (no `..`, no absolute
 * paths, no symlinks leading out) and refuses the executor's `.mission-control/` folder. With
 * `create: false` nothing is created: a file in a folder that does not exist yet is resolved
 * through its deepest existing parent (checked the same way), so computing or checking a
 * changeset leaves no empty folders behind; writing resolves again with `create: true`.
 */
export async function resolveChangesetPath(
  workspaceDir: string,
  relativePath: string,
  options: { create: boolean },
): Promise<TWorkspaceTarget> {
  refuseStateDir(relativePath, relativePath);
  const target = options.create
    ? await resolveWorkspacePath(workspaceDir, relativePath)
    : await resolveWithoutCreating(workspaceDir, relativePath);
  // A symlinked folder inside the workspace may still lead into the executor's folder.
  refuseStateDir(target.relative, relativePath);
  return target;
}

function refuseStateDir(candidate: string, relativePath: string): void {
  const first = candidate.split(/[\\/]/).find((segment) => segment !== "" && segment !== ".");
  if (first?.toLowerCase() === EXECUTOR_STATE_DIR) {
    throw new WorkspaceEscapeError(`${relativePath} is inside ${EXECUTOR_STATE_DIR}/, the executor's own folder: choose another path`);
  }
}

async function resolveWithoutCreating(workspaceDir: string, relativePath: string): Promise<TWorkspaceTarget> {
  if (path.isAbsolute(relativePath) || /^[A-Za-z]:/.test(relativePath) || relativePath.includes("\0")) {
    // resolveWorkspacePath words these refusals; nothing is created before it throws.
    return resolveWorkspacePath(workspaceDir, relativePath);
  }
  await fs.mkdir(workspaceDir, { recursive: true });
  const workspace = await fs.realpath(workspaceDir);
  const lexical = path.resolve(workspace, relativePath);
  if (!inside(workspace, lexical)) throw new WorkspaceEscapeError(`${relativePath} leaves the workspace`);
  const parentExists = await fs.stat(path.dirname(lexical)).then(
    (stat) => stat.isDirectory(),
    () => false,
  );
  // The parent exists: resolveWorkspacePath creates nothing and checks the parent and the file itself.
  if (parentExists) return resolveWorkspacePath(workspace, relativePath);
  let existing = path.dirname(lexical);
  for (;;) {
    const real = await fs.realpath(existing).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT" || err.code === "ENOTDIR") return null;
      throw err;
    });
    if (real !== null) {
      if (real !== workspace && !inside(workspace, real)) {
        throw new WorkspaceEscapeError(`${relativePath} goes through a symlink that points outside the workspace`);
      }
      if (!(await fs.stat(real)).isDirectory()) throw new WorkspaceEscapeError(`${relativePath} goes through a file that is not a folder`);
      // The folders below the deepest existing one do not exist yet, so they cannot be symlinks.
      const file = path.join(real, path.relative(existing, lexical));
      return { workspace, file, relative: path.relative(workspace, file).split(path.sep).join("/") };
    }
    existing = path.dirname(existing);
  }
}
