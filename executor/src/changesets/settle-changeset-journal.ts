import fs from "node:fs/promises";
import type { TRecording } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { commitChangesetJournal } from "./commit-changeset-journal.ts";
import { releaseJournal } from "./hold-journal.ts";
import { isChangesetRecorded } from "./is-changeset-recorded.ts";
import { recoverChangesetJournal, type TJournalRecovery } from "./recover-changeset-journals.ts";

/**
 * Finishes an apply or rollback journal once recording its outcome ended: `recorded` commits it;
 * `claim_lost` settles it now against the database (which then says not recorded, so the files
 * are put back); `unknown` lets go of it, so start-up recovery (or the next rollback of the
 * changeset) settles it once the database answers.
 */
export async function settleChangesetJournal(
  deps: { db: TDb; workspaceDir: string },
  changesetId: string,
  recording: TRecording,
): Promise<TJournalRecovery | null> {
  if (recording === "recorded") {
    await commitChangesetJournal(deps.workspaceDir, changesetId);
    return null;
  }
  const workspace = await fs.realpath(deps.workspaceDir);
  releaseJournal(workspace, changesetId);
  if (recording === "unknown") return null;
  return recoverChangesetJournal(workspace, changesetId, (id, operation) => isChangesetRecorded(deps.db, id, operation));
}
