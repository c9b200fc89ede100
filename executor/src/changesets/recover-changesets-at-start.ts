import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { isChangesetRecorded } from "./is-changeset-recorded.ts";
import { recoverChangesetJournals } from "./recover-changeset-journals.ts";

/**
 * Start-up recovery of changeset journals (before the approval and rollback workers start): every
 * apply or rollback a crash interrupted is completed when the database recorded it, undone when it
 * did not. Logs what it did; never throws (a journal it cannot settle now stays for the next start).
 */
export async function recoverChangesetsAtStart(deps: { db: TDb; workspaceDir: string; log: Logger }): Promise<void> {
  const log = deps.log.child({ part: "changeset-recovery" });
  try {
    const results = await recoverChangesetJournals(deps.workspaceDir, (id, operation) => isChangesetRecorded(deps.db, id, operation));
    for (const result of results) {
      if (result.outcome === "failed")
        log.error(
          { changesetId: result.changesetId, reason: result.error },
          "could not recover the changeset journal; it stays for the next start",
        );
      else if (result.outcome === "skipped")
        log.info({ changesetId: result.changesetId, reason: result.reason }, "changeset journal left alone");
      else
        log.warn(
          { changesetId: result.changesetId, operation: result.operation, outcome: result.outcome },
          "recovered an interrupted changeset write",
        );
    }
  } catch (err) {
    log.error({ err, workspaceDir: deps.workspaceDir }, "could not look for changeset journals; they stay for the next start");
  }
}
