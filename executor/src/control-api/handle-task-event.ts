import type { TRouteAnswer } from "@mission-control/shared/control-api";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { insertTaskEvent } from "../tasks/insert-task-event.ts";
import type { TRouteInput } from "./dispatch-route.ts";

/**
 * POST /api/tasks/:taskId/events {kind: agent_update | output_added, author_agent_key, content,
 * metadata?, id?} (service role key, task id and body checked by the router): an agent's update to
 * a task thread. Answers 201 with the task_events row (200 when that id was already written).
 */
export async function handleTaskEvent(
  { params, body }: TRouteInput<"postTaskEvent">,
  deps: { db: TDb; log: Logger },
): Promise<TRouteAnswer<"postTaskEvent">> {
  const { event, duplicate } = await insertTaskEvent(deps.db, params.taskId, body);
  deps.log.debug(
    { taskId: params.taskId, eventId: event.id, kind: event.kind, agentKey: event.author_agent_key, duplicate },
    "task event written",
  );
  return { status: duplicate ? 200 : 201, body: { event } };
}
