import { answeredStatusOf, createControlApiClient, type TAgentTaskEvent } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { TTaskEvent } from "@mission-control/shared/rows";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { insertTaskEvent } from "./insert-task-event.ts";

/** How an agent's task update was written. */
export type TPostTaskEventResult = { event: TTaskEvent; via: "control_api" | "database" };

/**
 * The agent side of task-thread updates: posts to the Control API (`POST /api/tasks/:taskId/events`,
 * authenticated with the service role key) and, when the API is unreachable, times out or answers
 * 5xx, writes the same event (same id, so never twice) straight to task_events through supabase-js.
 * A refusal (a 4xx answer, or input the shared schema refuses before sending: bad input, unknown
 * task or agent) is thrown: the database would refuse it too. With no Control API URL (the
 * executor's own API has closed because it is stopping) the event goes to the database at once,
 * which is expected then and not worth a warning.
 */
export async function postTaskEvent(
  deps: { controlApiUrl: string | null; serviceRoleKey: string; db: TDb; timeoutMs?: number; log?: Logger },
  taskId: string,
  event: TAgentTaskEvent,
): Promise<TPostTaskEventResult> {
  const body: TAgentTaskEvent = { ...event, id: event.id ?? crypto.randomUUID() };
  if (deps.controlApiUrl === null) {
    deps.log?.debug({ taskId }, "the Control API has closed (stopping): writing the task event to the database directly");
    return { event: (await insertTaskEvent(deps.db, taskId, body)).event, via: "database" };
  }
  const client = createControlApiClient({ baseUrl: deps.controlApiUrl, timeoutMs: deps.timeoutMs ?? 5_000 });
  let reason: string;
  try {
    const posted = await client.postTaskEvent({ serviceRoleKey: deps.serviceRoleKey, taskId, event: body });
    return { event: posted.event, via: "control_api" };
  } catch (err) {
    const status = answeredStatusOf(err);
    const unreachable = err instanceof AppError && err.code === "control_api_unreachable";
    if (status === null ? !unreachable : status >= 400 && status < 500) throw err;
    reason = status === null ? (err as AppError).message : `HTTP ${status}: ${(err as AppError).message}`;
  }
  deps.log?.warn({ taskId, reason }, `Control API unreachable at ${deps.controlApiUrl}: writing the task event to the database directly`);
  const written = await insertTaskEvent(deps.db, taskId, body);
  return { event: written.event, via: "database" };
}
