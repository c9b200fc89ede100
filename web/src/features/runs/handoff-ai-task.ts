import { type TRun, type TTask, ZRun, ZTask } from "@mission-control/shared/rows";
import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/** The most a hand-off note may hold (the RPC's limit). */
export const HANDOFF_NOTE_MAX_CHARS = 5000;

/**
 * Hands a task to another agent with a note (`handoff_ai_task`): the database cancels the task's
 * active runs, assigns it to the agent and queues an implement run carrying the note, with a
 * `handoff` event on it and a line in the task thread. Then reads the task and its runs back, so
 * the page shows the change before realtime does (and in Backup, where only the database answers).
 */
export async function handoffAiTask(
  client: TBrowserClient,
  input: { taskId: string; agentKey: string; note: string },
): Promise<{ run: TRun; task: TTask | null; runs: TRun[] }> {
  const { data, error } = await client.rpc("handoff_ai_task", {
    p_task_id: input.taskId,
    p_to_agent_key: input.agentKey,
    p_note: input.note,
  });
  if (error) throw rpcWriteError("hand the task off", error);
  const run = ZRun.parse(data);
  const [task, runs] = await Promise.all([
    client.from("tasks").select("*").eq("id", input.taskId).maybeSingle(),
    client.from("ai_runs").select("*").eq("task_id", input.taskId),
  ]);
  return {
    run,
    task: task.data ? ZTask.parse(task.data) : null,
    runs: runs.error ? [] : ZRun.array().parse(runs.data ?? []),
  };
}
