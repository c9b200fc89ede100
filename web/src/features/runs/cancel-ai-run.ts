import { type TRun, ZRun } from "@mission-control/shared/rows";
import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/**
 * Cancels a queued, running or waiting run (`cancel_ai_run`): the database marks it cancelled at
 * once and expires what it still had waiting for approval; the executor aborts its work when it
 * notices. Cancelling a cancelled run again is fine; a finished one is refused.
 */
export async function cancelAiRun(client: TBrowserClient, runId: string): Promise<TRun> {
  const { data, error } = await client.rpc("cancel_ai_run", { p_run_id: runId });
  if (error) throw rpcWriteError("cancel the run", error);
  return ZRun.parse(data);
}
