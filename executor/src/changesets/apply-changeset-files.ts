import fs from "node:fs/promises";
import { AppError } from "@mission-control/shared/errors";
import type { TChangesetFile } from "@mission-control/shared/rows";
import { newJournal } from "./changeset-journal.ts";
import { checkCurrentFiles } from "./check-current-files.ts";
import type { TWriteHooks } from "./put-files-in-state.ts";
import { sha256Hex } from "./sha256-hex.ts";
import { withWorkspaceLock } from "./with-workspace-lock.ts";
import { writeWithJournal } from "./write-with-journal.ts";

/** What applying needs of a changeset_files row. */
export type TApplyFile = Pick<TChangesetFile, "path" | "change_kind" | "base_sha256" | "new_content" | "new_sha256">;

/**
 * Applies changeset files atomically and checked. Every file must still be what the proposal was
 * computed against (its sha-256 equals base_sha256; a new file must still not exist), or nothing
 * is written and `conflict` says "file changed since the proposal: <paths>". Then the journal
 * (previous bytes or absence, new bytes) is fsynced and each file is replaced with
 * temp-file + rename (deleted for `delete`). Answers the applied paths (relative, in order).
 * The journal stays until `commitChangesetJournal` (after the database recorded the apply), so
 * after a crash `recoverChangesetJournals` leaves all files applied or none.
 */
export async function applyChangesetFiles(options: {
  workspaceDir: string;
  changesetId: string;
  files: readonly TApplyFile[];
  /** Tests only. */
  hooks?: TWriteHooks;
}): Promise<string[]> {
  if (options.files.length === 0) throw new AppError("invalid_input", { message: "No files to apply: approve at least one file" });
  for (const file of options.files) {
    const consistent =
      (file.change_kind === "delete") === (file.new_content === null) && (file.change_kind === "add") === (file.base_sha256 === null);
    if (!consistent) {
      throw new AppError("invalid_input", {
        message: `${file.path}: a ${file.change_kind} does not match its stored contents; nothing was written`,
      });
    }
    const newSha = file.new_content === null ? null : sha256Hex(file.new_content);
    if (newSha !== file.new_sha256) {
      throw new AppError("internal", { message: `${file.path}: the stored new content does not match its sha-256; nothing was written` });
    }
  }
  await fs.mkdir(options.workspaceDir, { recursive: true });
  const workspace = await fs.realpath(options.workspaceDir);
  return withWorkspaceLock(workspace, async () => {
    const { files, changed } = await checkCurrentFiles(
      workspace,
      options.files.map((file) => ({ path: file.path, sha256: file.base_sha256 })),
    );
    if (changed.length > 0) {
      throw new AppError("conflict", {
        message: `The changeset was not applied, file changed since the proposal: ${changed.join(", ")}. Nothing was written: ask the agent for a new changeset against the current files.`,
        details: { changed },
      });
    }
    const journal = newJournal(
      options.changesetId,
      "apply",
      files.map(({ path, current }, i) => {
        const next = options.files[i]?.new_content ?? null;
        return {
          path,
          previous: current ? current.bytes.toString("base64") : null,
          previous_mode: current ? current.mode : null,
          next: next === null ? null : Buffer.from(next, "utf8").toString("base64"),
          // A changed file keeps its permission bits (an executable script stays executable).
          next_mode: current && next !== null ? current.mode : null,
        };
      }),
    );
    await writeWithJournal(workspace, journal, options.hooks);
    return files.map((file) => file.path);
  });
}
