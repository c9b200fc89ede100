import { type TRun, ZRun } from "@mission-control/shared/rows";
import { type TRunStartInput, ZRunStartInput } from "@mission-control/shared/schemas";
import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/**
 * Queues a run from the Runs page (`start_ai_run`, origin runs_page). `runId` is chosen by the
 * form once per submission: sending again after a failure cannot start a second run.
 */
export async function startAiRun(
  client: TBrowserClient,
  input: { projectId: string; runId: string; run: TRunStartInput | Record<string, unknown> },
): Promise<TRun> {
  const run = ZRunStartInput.parse(input.run);
  const { data, error } = await client.rpc("start_ai_run", {
    p_project_id: input.projectId,
    p_agent_key: run.agent_key,
    p_mode: run.mode,
    p_goal: run.goal,
    p_constraints: run.constraints,
    ...(run.task_id ? { p_task_id: run.task_id } : {}),
    p_run_id: input.runId,
  });
  if (error) throw rpcWriteError("start the run", error);
  return ZRun.parse(data);
}
