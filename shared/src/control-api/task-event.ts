import { z } from "zod";
import { ZTaskEvent } from "../rows/task-rows.ts";
import { ZAgentKey } from "../schemas/action-proposal.ts";
import { TASK_EVENT_KINDS } from "../schemas/column-enums.ts";

/**
 * Path parameters of `POST /api/tasks/:taskId/events`. A guid (any 8-4-4-4-12 hex id, as Postgres'
 * uuid type accepts): an unknown id is answered 404 by the lookup.
 */
export const ZTaskEventParams = z.object({
  taskId: z.guid({ error: (issue) => `${String(issue.input)} is not a task id (a UUID)` }),
});
/** Path parameters of `POST /api/tasks/:taskId/events`. */
export type TTaskEventParams = z.infer<typeof ZTaskEventParams>;

/** Body of `POST /api/tasks/:taskId/events`: an agent's update to a task thread (also what the direct fallback writes). */
export const ZAgentTaskEvent = z.strictObject({
  /** Chosen by the agent side once, so a retry or the fallback after a lost response writes one row. */
  id: z.uuid().optional(),
  kind: z.enum(TASK_EVENT_KINDS).extract(["agent_update", "output_added"]),
  author_agent_key: ZAgentKey,
  content: z.string().trim().min(1).max(100_000),
  metadata: z.record(z.string(), z.json()).optional(),
});
/** An agent's update to a task thread. */
export type TAgentTaskEvent = z.infer<typeof ZAgentTaskEvent>;

/** The answer of `POST /api/tasks/:taskId/events`: 201 with the row written, 200 with the row already there for that id. */
export const ZTaskEventAnswer = z.object({ event: ZTaskEvent });
/** The answer of `POST /api/tasks/:taskId/events`. */
export type TTaskEventAnswer = z.infer<typeof ZTaskEventAnswer>;
