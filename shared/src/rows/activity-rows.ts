import { z } from "zod";
import { AUTHOR_TYPES } from "../schemas/column-enums.ts";
import { jsonObject, seq } from "./edge-fields.ts";

/** An entry of the project feed. */
export const ZActivity = z.object({
  id: z.coerce.string(),
  project_id: z.string(),
  actor_type: z.enum(AUTHOR_TYPES),
  actor: z.string(),
  kind: z.string(),
  summary: z.string(),
  /** What the row is about (task_id, proposal_id, message_id, thread_id, agent_key, run_id…), for links. */
  ref: jsonObject.default({}),
  created_at: z.string(),
  seq,
});
/** An activities row. */
export type TActivity = z.infer<typeof ZActivity>;
