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
  /** Number of the current version (brain_doc_versions), counted by the database. */
  version: z.number().int(),
  updated_at: z.string(),
  seq,
});
/** A brain_docs row. */
export type TBrainDoc = z.infer<typeof ZBrainDoc>;

/** One saved version of a brain doc (brain_doc_versions: append-only, read on demand, not live). */
export const ZBrainDocVersion = z.object({
  id: z.string(),
  doc_id: z.string(),
  project_id: z.string(),
  version: z.number().int(),
  title: z.string(),
  content: z.string(),
  author_user_id: z.string().nullable(),
  author_agent_key: z.string().nullable(),
  created_at: z.string(),
});
/** A brain_doc_versions row. */
export type TBrainDocVersion = z.infer<typeof ZBrainDocVersion>;
