import fs from "node:fs/promises";
import { AppError } from "@mission-control/shared/errors";
import type { TChangesetFile } from "@mission-control/shared/rows";
import { newJournal } from "./changeset-journal.ts";
import { checkCurrentFiles } from "./check-current-files.ts";
import type { TWriteHooks } from "./put-files-in-state.ts";
import { sha256Hex } from "./sha256-hex.ts";
import { withWorkspaceLock } from "./with-workspace-lock.ts";
import { writeWithJournal } from "./write-with-journal.ts";

/** What rolling back needs of a changeset_files row. */
export type TRollbackFile = Pick<TChangesetFile, "path" | "change_kind" | "base_sha256" | "base_content" | "new_sha256">;

/**
 * Rolls applied changeset files back to the content they had before (base_content, byte for byte:
 * its sha-256 must equal base_sha256): a modified file gets its old bytes, a deleted one is
 * recreated, an added one is deleted. Every file must still be what the apply wrote (sha-256 equal
 * to new_sha256; a deleted file still absent), or nothing is written and `conflict` says "file
 * changed since the apply: <paths>". Same journal as an apply, so it is all or none too: the
 * journal stays until `commitChangesetJournal` after the database recorded the rollback.
 * Answers the restored paths.
 */
export async function rollbackChangesetFiles(options: {
  workspaceDir: string;
  changesetId: string;
  files: readonly TRollbackFile[];
  /** Tests only. */
  hooks?: TWriteHooks;
}): Promise<string[]> {
  if (options.files.length === 0) throw new AppError("invalid_input", { message: "No applied files to roll back" });
  for (const file of options.files) {
    const baseSha = file.base_content === null ? null : sha256Hex(file.base_content);
    if (baseSha !== file.base_sha256) {
      throw new AppError("internal", {
        message: `${file.path}: the stored previous content does not match its sha-256, so it cannot be restored exactly; nothing was written`,
      });
    }
  }
  await fs.mkdir(options.workspaceDir, { recursive: true });
  const workspace = await fs.realpath(options.workspaceDir);
  return withWorkspaceLock(workspace, async () => {
    const { files, changed } = await checkCurrentFiles(
      workspace,
      options.files.map((file) => ({ path: file.path, sha256: file.new_sha256 })),
    );
    if (changed.length > 0) {
      throw new AppError("conflict", {
        message: `The changeset was not rolled back, file changed since the apply: ${changed.join(", ")}. Nothing was written: restore those files by hand, or change them back to what the changeset wrote and roll back again.`,
        details: { changed },
      });
    }
    const journal = newJournal(
      options.changesetId,
      "rollback",
      files.map(({ path, current }, i) => {
        const previous = options.files[i]?.base_content ?? null;
        return {
          path,
          previous: current ? current.bytes.toString("base64") : null,
          previous_mode: current ? current.mode : null,
          next: previous === null ? null : Buffer.from(previous, "utf8").toString("base64"),
          next_mode: current && previous !== null ? current.mode : null,
        };
      }),
    );
    await writeWithJournal(workspace, journal, options.hooks);
    return files.map((file) => file.path);
  });
}
