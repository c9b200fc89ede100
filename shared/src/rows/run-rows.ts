import { z } from "zod";
import {
  CHANGESET_FILE_DECISIONS,
  CHANGESET_FILE_KINDS,
  CHANGESET_REVIEW_KINDS,
  CHANGESET_STATUSES,
  RISK_LEVELS,
  RUN_EVENT_KINDS,
  RUN_MODES,
  RUN_ORIGINS,
  RUN_STATUSES,
} from "../schemas/column-enums.ts";
import { jsonObject, nullableNumeric, seq } from "./edge-fields.ts";

/** One piece of agent work (ai_runs). */
export const ZRun = z.object({
  id: z.string(),
  project_id: z.string(),
  agent_id: z.string().nullable(),
  agent_key: z.string(),
  mode: z.enum(RUN_MODES),
  status: z.enum(RUN_STATUSES),
  origin: z.enum(RUN_ORIGINS),
  goal: z.string(),
  constraints: z.string(),
  task_id: z.string().nullable(),
  thread_id: z.string().nullable(),
  parent_run_id: z.string().nullable(),
  iteration: z.coerce.number(),
  participants: z.array(z.string()),
  settings: jsonObject,
  step_count: z.coerce.number(),
  max_steps: z.coerce.number(),
  current_step: z.string(),
  input_tokens: z.coerce.number(),
  output_tokens: z.coerce.number(),
  cost_usd: nullableNumeric,
  requested_by: z.string().nullable(),
  claimed_by: z.string().nullable(),
  attempts: z.coerce.number(),
  cancel_requested_at: z.string().nullable(),
  result_summary: z.string().nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  updated_at: z.string(),
  seq,
});
/** An ai_runs row. */
export type TRun = z.infer<typeof ZRun>;

/** An entry of a run's timeline (append-only): a short human sentence and structured data. */
export const ZRunEvent = z.object({
  id: z.string(),
  project_id: z.string(),
  run_id: z.string(),
  kind: z.enum(RUN_EVENT_KINDS),
  agent_key: z.string().nullable(),
  summary: z.string(),
  data: jsonObject,
  created_at: z.string(),
  seq,
});
/** An ai_run_events row. */
export type TRunEvent = z.infer<typeof ZRunEvent>;

/** The changes one implement run proposes (changesets). */
export const ZChangeset = z.object({
  id: z.string(),
  project_id: z.string(),
  run_id: z.string(),
  task_id: z.string().nullable(),
  agent_key: z.string(),
  proposal_id: z.string().nullable(),
  summary: z.string(),
  risk: z.enum(RISK_LEVELS),
  status: z.enum(CHANGESET_STATUSES),
  files_count: z.coerce.number(),
  additions: z.coerce.number(),
  deletions: z.coerce.number(),
  applied_paths: z.array(z.string()),
  applied_at: z.string().nullable(),
  rollback_requested_at: z.string().nullable(),
  rolled_back_at: z.string().nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  seq,
});
/** A changesets row. */
export type TChangeset = z.infer<typeof ZChangeset>;

/** One file of a changeset, with the content it was computed against (base) and its diff. */
export const ZChangesetFile = z.object({
  id: z.string(),
  project_id: z.string(),
  changeset_id: z.string(),
  position: z.coerce.number(),
  path: z.string(),
  change_kind: z.enum(CHANGESET_FILE_KINDS),
  base_sha256: z.string().nullable(),
  base_content: z.string().nullable(),
  new_content: z.string().nullable(),
  new_sha256: z.string().nullable(),
  unified_diff: z.string(),
  rationale: z.string(),
  risk_notes: z.string(),
  additions: z.coerce.number(),
  deletions: z.coerce.number(),
  decision: z.enum(CHANGESET_FILE_DECISIONS),
  created_at: z.string(),
  updated_at: z.string(),
  seq,
});
/** A changeset_files row. */
export type TChangesetFile = z.infer<typeof ZChangesetFile>;

/** A review comment on a changeset (append-only). */
export const ZChangesetReview = z.object({
  id: z.string(),
  project_id: z.string(),
  changeset_id: z.string(),
  kind: z.enum(CHANGESET_REVIEW_KINDS),
  path: z.string().nullable(),
  line: z.coerce.number().nullable(),
  comment: z.string(),
  author_user_id: z.string().nullable(),
  created_at: z.string(),
  seq,
});
/** A changeset_reviews row. */
export type TChangesetReview = z.infer<typeof ZChangesetReview>;
