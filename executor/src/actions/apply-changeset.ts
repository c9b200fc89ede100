import { AppError, coerceError } from "@mission-control/shared/errors";
import { applyChangesetFiles } from "../changesets/apply-changeset-files.ts";
import { readChangeset } from "../changesets/read-changeset.ts";
import { settleChangesetJournal } from "../changesets/settle-changeset-journal.ts";
import type { TApplyChangesetParams } from "./action-params.ts";
import { refused, type TActionContext, type TActionOutcome } from "./action-types.ts";

/**
 * apply_changeset: writes the files of a proposed changeset that the approval kept (`paths`: all
 * of them, or the accepted ones of a partial approval) into the workspace, atomically and only if
 * none of them changed since the proposal (applyChangesetFiles). The result lists the applied
 * files; the database then marks the changeset applied. The apply's journal is committed once the
 * approval worker recorded the outcome (`afterRecorded`), so a crash before that leaves all files
 * or none (start-up recovery).
 */
export async function applyChangeset(ctx: TActionContext, params: TApplyChangesetParams): Promise<TActionOutcome> {
  const id = params.changeset_id;
  const found = await readChangeset(ctx.db, id, { paths: params.paths });
  if (!found || found.changeset.project_id !== ctx.proposal.project_id) {
    return refused(`Changeset ${id} does not exist in this project: nothing was applied. Ask the agent for a new changeset.`);
  }
  if (found.changeset.status !== "proposed") {
    return refused(
      `Changeset ${id} is ${found.changeset.status}, not proposed: nothing was applied. Only a proposed changeset can be applied.`,
    );
  }
  const known = new Set(found.files.map((file) => file.path));
  const missing = params.paths.filter((p) => !known.has(p));
  if (missing.length > 0) {
    return refused(
      `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not in changeset ${id}: nothing was applied. Approve only files of the changeset.`,
    );
  }
  let paths: string[];
  try {
    paths = await applyChangesetFiles({ workspaceDir: ctx.workspaceDir, changesetId: id, files: found.files });
  } catch (err) {
    const error = coerceError(err);
    const changed = error instanceof AppError && Array.isArray(error.details.changed) ? (error.details.changed as string[]) : [];
    return refused(error.message, { changeset_id: id, changed });
  }
  ctx.log.info({ changesetId: id, files: paths.length }, "changeset applied; its journal stays until the apply is recorded");
  return {
    ok: true,
    result: {
      changeset_id: id,
      paths,
      files: found.files.map((file) => ({
        path: file.path,
        change_kind: file.change_kind,
        additions: file.additions,
        deletions: file.deletions,
      })),
    },
    afterRecorded: async (recording) => {
      const recovered = await settleChangesetJournal({ db: ctx.db, workspaceDir: ctx.workspaceDir }, id, recording);
      if (recovered)
        ctx.log.warn({ changesetId: id, recording, recovery: recovered }, "the apply was not recorded; its journal was settled");
    },
  };
}
