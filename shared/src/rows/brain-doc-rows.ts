import { z } from "zod";
import { seq } from "./edge-fields.ts";

/** A knowledge document (the mission is doc_type 'mission' with no agent). */
export const ZBrainDoc = z.object({
  id: z.string(),
  project_id: z.string(),
  agent_key: z.string().nullable(),
  doc_type: z.string(),
  title: z.string(),
  content: z.string(),
  seq,
});
/** A brain_docs row. */
export type TBrainDoc = z.infer<typeof ZBrainDoc>;
