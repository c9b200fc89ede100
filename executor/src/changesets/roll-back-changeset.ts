import { AppError, coerceError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TRecording } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import type { TClaimedRollback } from "./claim-changeset-rollbacks.ts";
import { finishChangesetRollback } from "./finish-changeset-rollback.ts";
import { isChangesetRecorded } from "./is-changeset-recorded.ts";
import { readChangeset } from "./read-changeset.ts";
import { recoverChangesetJournal } from "./recover-changeset-journals.ts";
import { rollbackChangesetFiles } from "./rollback-changeset-files.ts";
import { settleChangesetJournal } from "./settle-changeset-journal.ts";

/** What rolling back one claimed changeset needs. */
export type TRollbackDeps = { db: TDb; executorId: string; workspaceDir: string; log: Logger };

/**
 * How one claimed rollback ended: `rolled_back` (files restored, recorded), `refused` (nothing
 * written, recorded as failed with the reason), `deferred` (another process is still writing this
 * changeset: the claim expires and the rollback is tried again), `unrecorded` (the outcome could
 * not be recorded; start-up recovery settles the files against the database).
 */
export type TRollbackOutcome = "rolled_back" | "refused" | "deferred" | "unrecorded";

/** Delays between attempts to record an outcome when the database does not answer. */
const FINISH_RETRY_DELAYS_MS = [100, 500, 2_000, 5_000];

/**
 * Rolls back the applied files (only `applied_paths`) of one claimed changeset and records the
 * outcome with finish_changeset_rollback. A journal an interrupted apply or rollback of this
 * changeset left behind is settled against the database first. A refusal (a file changed since
 * the apply) is recorded as a failed rollback with the reason; the rollback's journal is committed
 * only once the database recorded it.
 */
export async function rollBackChangeset(deps: TRollbackDeps, claimed: TClaimedRollback): Promise<TRollbackOutcome> {
  const { changeset } = claimed;
  const log = deps.log.child({ changesetId: changeset.id, projectId: changeset.project_id });
  const isRecorded = (id: string, operation: "apply" | "rollback") => isChangesetRecorded(deps.db, id, operation);

  const pending = await recoverChangesetJournal(deps.workspaceDir, changeset.id, isRecorded).catch((err: unknown) => ({
    changesetId: changeset.id,
    outcome: "failed" as const,
    error: coerceError(err).message,
  }));
  if (pending?.outcome === "skipped") {
    log.info({ reason: pending.reason }, "changeset is still being written elsewhere; its rollback waits for the claim to expire");
    return "deferred";
  }

  let paths: string[] = [];
  let failure: string | null = null;
  if (pending?.outcome === "failed") {
    failure = `An interrupted write of this changeset could not be settled (${pending.error}): nothing was rolled back. Restart the executor and request the rollback again.`;
  } else {
    try {
      const applied = new Set(changeset.applied_paths);
      const files = (claimed.files ?? (await readChangeset(deps.db, changeset.id, { paths: changeset.applied_paths }))?.files ?? []).filter(
        (file) => applied.has(file.path),
      );
      if (files.length === 0) throw new AppError("invalid_input", { message: "The changeset has no applied files to roll back" });
      paths = await rollbackChangesetFiles({ workspaceDir: deps.workspaceDir, changesetId: changeset.id, files });
    } catch (err) {
      failure = coerceError(err).message;
    }
  }

  const recording = await record(deps, log, { changesetId: changeset.id, ok: failure === null, ...(failure ? { error: failure } : {}) });
  if (failure !== null) {
    log.warn({ reason: failure, recording }, "rollback refused");
    return recording === "unknown" ? "unrecorded" : "refused";
  }
  const settled = await settleChangesetJournal(deps, changeset.id, recording).catch((err: unknown) => {
    log.error({ err, recording }, "could not settle the rollback's journal; start-up recovery will");
    return null;
  });
  if (recording === "recorded") {
    log.info({ files: paths.length }, "changeset rolled back");
    return "rolled_back";
  }
  log.warn({ recording, recovery: settled }, "the rollback was not recorded; its journal was settled against the database");
  return recording === "unknown" ? "unrecorded" : "refused";
}

/** Records the outcome, retrying while the database does not answer; says how recording ended. */
async function record(
  deps: TRollbackDeps,
  log: Logger,
  outcome: { changesetId: string; ok: boolean; error?: string },
): Promise<TRecording> {
  for (let attempt = 0; ; attempt++) {
    try {
      await finishChangesetRollback(deps.db, { executorId: deps.executorId, ...outcome });
      return "recorded";
    } catch (err) {
      const error = coerceError(err);
      if (error.code !== "database_unreachable") {
        log.warn({ reason: error.message }, "the database refused the rollback's outcome");
        return "claim_lost";
      }
      const delay = FINISH_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        log.error({ err }, "could not record the rollback's outcome");
        return "unknown";
      }
      // Recording goes on even during shutdown: the files were already written.
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
