import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/** A workspace file as read for a review: whether it exists, its sha-256 and (when small enough and text) its content. */
export type TWorkspaceFileRead = { exists: boolean; sha256: string | null; content: string | null };

const inside = (root: string, candidate: string) => {
  const rel = path.relative(root, candidate);
  // Segments, not characters: a folder named "...." is inside.
  return rel !== "" && rel.split(path.sep)[0] !== ".." && !path.isAbsolute(rel);
};

/**
 * Reads `relativePath` inside `workspaceDir` without creating anything: a path that leaves the
 * workspace (lexically or through a symlink), lies under `.mission-control/`, is not a regular file
 * or does not exist reads as absent. The sha-256 covers the bytes whatever the size; the content is
 * given only up to `maxBytes` and when it is text (no NUL byte).
 */
export async function readWorkspaceFile(
  workspaceDir: string,
  relativePath: string,
  options: { maxBytes: number },
): Promise<TWorkspaceFileRead> {
  const absent: TWorkspaceFileRead = { exists: false, sha256: null, content: null };
  try {
    const workspace = await fs.realpath(workspaceDir);
    const lexical = path.resolve(workspace, relativePath);
    if (!inside(workspace, lexical)) return absent;
    const real = await fs.realpath(lexical);
    if (!inside(workspace, real) || path.relative(workspace, real).split(path.sep)[0] === ".mission-control") return absent;
    const stat = await fs.stat(real);
    if (!stat.isFile()) return absent;
    const bytes = await fs.readFile(real);
    const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
    const text = bytes.length <= options.maxBytes && !bytes.includes(0) ? bytes.toString("utf8") : null;
    return { exists: true, sha256, content: text };
  } catch {
    return absent;
  }
}
