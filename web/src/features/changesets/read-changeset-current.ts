import type { TChangesetCurrentAnswer } from "@mission-control/shared/control-api";
import { notifyExecutor } from "../connection/notify-executor.ts";

/**
 * Reads a changeset's files as they are in the workspace now (`GET /api/changesets/:id/current`,
 * the operator's token): only the executor can see the workspace. Null when the executor answered
 * in a form this dashboard cannot read; an error when it is not there (the review then shows the
 * diffs as proposed).
 */
export async function readChangesetCurrent(options: {
  controlApiUrl: string;
  accessToken: string;
  changesetId: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<TChangesetCurrentAnswer | null> {
  const asProposed = "the diffs are shown as proposed, without checking the workspace.";
  return notifyExecutor(
    {
      controlApiUrl: options.controlApiUrl,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? 6000,
      whenRefused: asProposed,
      whenUnreachable: asProposed,
    },
    (client) => client.readChangesetCurrent({ accessToken: options.accessToken, changesetId: options.changesetId }),
  );
}
