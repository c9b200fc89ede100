import { z } from "zod";
import { AUTHOR_TYPES, TASK_EVENT_KINDS, TASK_EVENT_LEGACY_SOURCES, TASK_PRIORITIES, TASK_STATUSES } from "../schemas/column-enums.ts";
import { jsonObject, seq } from "./edge-fields.ts";

/** A kanban task. A malformed checklist reads as empty rather than dropping the card. */
export const ZTask = z.object({
  id: z.string(),
  project_id: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.enum(TASK_STATUSES),
  assignee_agent_key: z.string().nullable(),
  priority: z.enum(TASK_PRIORITIES),
  labels: z.array(z.string()),
  due_at: z.string().nullable(),
  definition_of_done: z.array(z.object({ text: z.string(), done: z.boolean() })).catch([]),
  position: z.coerce.number(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  seq,
});
/** A tasks row. */
export type TTask = z.infer<typeof ZTask>;

/** An entry of a task's timeline (append-only). */
export const ZTaskEvent = z.object({
  id: z.string(),
  project_id: z.string(),
  task_id: z.string(),
  kind: z.enum(TASK_EVENT_KINDS),
  author_type: z.enum(AUTHOR_TYPES),
  author_user_id: z.string().nullable(),
  author_agent_key: z.string().nullable(),
  content: z.string(),
  metadata: jsonObject,
  proposal_id: z.string().nullable(),
  legacy_source: z.enum(TASK_EVENT_LEGACY_SOURCES).nullable(),
  legacy_id: z.string().nullable(),
  created_at: z.string(),
  seq,
});
/** A task_events row. */
export type TTaskEvent = z.infer<typeof ZTaskEvent>;
