import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { insertTaskEvent, ZAgentTaskEvent } from "../tasks/insert-task-event.ts";
import { readJsonBody } from "./read-json-body.ts";
import { sendJson } from "./send-json.ts";
import { verifyServiceKey } from "./verify-service-key.ts";

/**
 * POST /api/tasks/:taskId/events {kind: agent_update | output_added, author_agent_key, content,
 * metadata?, id?}: an agent's update to a task thread, authenticated with the service role key.
 * Answers 201 with the task_events row (200 when that id was already written).
 */
export async function handleTaskEvent(
  req: IncomingMessage,
  res: ServerResponse,
  taskId: string,
  deps: { db: TDb; serviceRoleKey: string; log: Logger },
): Promise<void> {
  verifyServiceKey(req, deps.serviceRoleKey);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(taskId)) {
    throw new AppError("invalid_input", { message: `${taskId} is not a task id (a UUID)` });
  }
  const body = await readJsonBody(req, ZAgentTaskEvent);
  const { event, duplicate } = await insertTaskEvent(deps.db, taskId, body);
  deps.log.debug({ taskId, eventId: event.id, kind: event.kind, agentKey: event.author_agent_key, duplicate }, "task event written");
  sendJson(res, duplicate ? 200 : 201, { event });
}
