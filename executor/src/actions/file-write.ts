import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { TFileWriteParams } from "./action-params.ts";
import { refused, type TActionContext, type TActionOutcome } from "./action-types.ts";
import { resolveWorkspacePath, WorkspaceEscapeError } from "./resolve-workspace-path.ts";

/**
 * file_write: writes the content to a path inside the workspace (WORKSPACE_DIR), refusing paths
 * that escape it (.., absolute, symlinks). The write is atomic (a temporary file in the same
 * directory, fsynced, renamed over the target). The result keeps the previous content, or says the
 * file did not exist, so a rollback can restore it.
 */
export async function fileWrite(ctx: TActionContext, params: TFileWriteParams): Promise<TActionOutcome> {
  let target: Awaited<ReturnType<typeof resolveWorkspacePath>>;
  try {
    target = await resolveWorkspacePath(ctx.workspaceDir, params.path);
  } catch (err) {
    if (err instanceof WorkspaceEscapeError) return refused(`Refused to write ${params.path}: ${err.message}. Nothing was written.`);
    return refused(`Could not prepare ${params.path} in the workspace: ${(err as Error).message}`);
  }
  const previous = await fs.readFile(target.file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
  const temp = path.join(path.dirname(target.file), `.${path.basename(target.file)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    const handle = await fs.open(temp, "wx", 0o644);
    try {
      await handle.writeFile(params.content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target.file);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => {});
    return refused(`Could not write ${params.path}: ${(err as Error).message}`);
  }
  return {
    ok: true,
    result: {
      path: target.relative,
      bytes: Buffer.byteLength(params.content, "utf8"),
      sha256: crypto.createHash("sha256").update(params.content, "utf8").digest("hex"),
      previous_existed: previous !== null,
      previous_content: previous,
      previous: previous === null ? "did not exist" : "previous_content",
      rollback: previous === null ? "delete the file (it did not exist before)" : "write previous_content back",
    },
  };
}
