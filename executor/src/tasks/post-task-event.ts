import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { insertTaskEvent, type TAgentTaskEvent, type TTaskEventRow } from "./insert-task-event.ts";

/** How an agent's task update was written. */
export type TPostTaskEventResult = { event: TTaskEventRow; via: "control_api" | "database" };

/**
 * The agent side of task-thread updates: posts to the Control API (`POST /api/tasks/:taskId/events`,
 * authenticated with the service role key) and, when the API is unreachable, times out or answers
 * 5xx, writes the same event (same id, so never twice) straight to task_events through supabase-js.
 * A 4xx answer (bad input, unknown task or agent) is thrown: the database would refuse it too.
 */
export async function postTaskEvent(
  deps: { controlApiUrl: string; serviceRoleKey: string; db: TDb; timeoutMs?: number; log?: Logger },
  taskId: string,
  event: TAgentTaskEvent,
): Promise<TPostTaskEventResult> {
  const body: TAgentTaskEvent = { ...event, id: event.id ?? crypto.randomUUID() };
  const url = `${deps.controlApiUrl.replace(/\/+$/, "")}/api/tasks/${encodeURIComponent(taskId)}/events`;
  let reason: string;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${deps.serviceRoleKey}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(deps.timeoutMs ?? 5_000),
    });
    const answer = (await res.json().catch(() => null)) as { event?: TTaskEventRow; error?: { code?: string; message?: string } } | null;
    if (res.ok && answer?.event) return { event: answer.event, via: "control_api" };
    if (res.status >= 400 && res.status < 500) {
      throw new AppError(res.status === 404 ? "not_found" : res.status === 403 ? "forbidden" : "invalid_input", {
        message: answer?.error?.message ?? `The Control API refused the task event with HTTP ${res.status}`,
      });
    }
    reason = `HTTP ${res.status}`;
  } catch (err) {
    if (err instanceof AppError) throw err;
    reason = (err as Error).message;
  }
  deps.log?.warn({ taskId, reason }, `Control API unreachable at ${deps.controlApiUrl}: writing the task event to the database directly`);
  const written = await insertTaskEvent(deps.db, taskId, body);
  return { event: written.event, via: "database" };
}
