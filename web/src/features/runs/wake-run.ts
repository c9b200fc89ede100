import { notifyExecutor } from "../connection/notify-executor.ts";

/**
 * Asks the executor to look at a run now (`POST /api/runs/:runId/wake`): claim it when queued,
 * abort it when cancelled, pick up its changeset's rollback. What was asked is already in the
 * database: a failure here only means the executor acts on its next poll.
 */
export async function wakeRun(options: {
  controlApiUrl: string;
  accessToken: string;
  runId: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<void> {
  const later = "it is saved, and the executor acts on it when it next looks.";
  await notifyExecutor(
    {
      controlApiUrl: options.controlApiUrl,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? 4000,
      whenRefused: later,
      whenUnreachable: "it is saved, and the executor acts on it when it is back.",
    },
    (client) => client.wakeRun({ accessToken: options.accessToken, runId: options.runId }),
  );
}
