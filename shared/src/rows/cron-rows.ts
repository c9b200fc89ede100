import { z } from "zod";
import { CRON_JOB_RUN_STATUSES, CRON_PRODUCED_KINDS, MISSED_POLICIES, SCHEDULE_KINDS } from "../schemas/column-enums.ts";
import { nullableNumeric, seq } from "./edge-fields.ts";

/** A scheduled job (cron_mirror): a heartbeat when job_intent is heartbeat and heartbeat_agent_id is set. */
export const ZCronJob = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  schedule_kind: z.enum(SCHEDULE_KINDS),
  schedule_expr: z.string(),
  time_zone: z.string(),
  missed_policy: z.enum(MISSED_POLICIES),
  job_intent: z.string(),
  instructions: z.string(),
  target_agent_key: z.string().nullable(),
  enabled: z.boolean(),
  last_run_at: z.string().nullable(),
  next_run_at: z.string().nullable(),
  heartbeat_agent_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  seq,
});
/** A cron_mirror row. */
export type TCronJob = z.infer<typeof ZCronJob>;

/** One occurrence of a scheduled job (cron_job_runs). */
export const ZCronJobRun = z.object({
  id: z.string(),
  job_id: z.string(),
  project_id: z.string(),
  scheduled_for: z.string(),
  status: z.enum(CRON_JOB_RUN_STATUSES),
  reason: z.string().nullable(),
  missed_count: z.coerce.number(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  duration_ms: nullableNumeric,
  tokens: z.coerce.number(),
  produced_kind: z.enum(CRON_PRODUCED_KINDS).nullable(),
  produced_id: z.string().nullable(),
  seq,
});
/** A cron_job_runs row. */
export type TCronJobRun = z.infer<typeof ZCronJobRun>;

/** What the four schedule request tables share: queued -> applied | failed (with the reason in words). */
const ZCronRequestBase = z.object({
  id: z.string(),
  project_id: z.string(),
  job_id: z.string(),
  status: z.enum(["queued", "applied", "failed"]),
  error: z.string().nullable(),
  created_at: z.string(),
  applied_at: z.string().nullable(),
  seq,
});

/** A request to create a scheduled job (cron_create_requests); job_id is the id the job gets. */
export const ZCronCreateRequest = ZCronRequestBase.extend({
  name: z.string(),
  schedule_kind: z.enum(SCHEDULE_KINDS),
  schedule_expr: z.string(),
  time_zone: z.string(),
  job_intent: z.string(),
  target_agent_key: z.string().nullable(),
  enabled: z.boolean(),
});
/** A cron_create_requests row. */
export type TCronCreateRequest = z.infer<typeof ZCronCreateRequest>;

/** A request to change a scheduled job (cron_job_patch_requests; enabled false pauses it). */
export const ZCronJobPatchRequest = ZCronRequestBase.extend({ patch: z.record(z.string(), z.unknown()) });
/** A cron_job_patch_requests row. */
export type TCronJobPatchRequest = z.infer<typeof ZCronJobPatchRequest>;

/** A request to delete a scheduled job (cron_delete_requests). */
export const ZCronDeleteRequest = ZCronRequestBase;
/** A cron_delete_requests row. */
export type TCronDeleteRequest = z.infer<typeof ZCronDeleteRequest>;

/** A "Run now" request (cron_run_requests); run_id is the id of the occurrence it queues. */
export const ZCronRunRequest = ZCronRequestBase.extend({ run_id: z.string() });
/** A cron_run_requests row. */
export type TCronRunRequest = z.infer<typeof ZCronRunRequest>;
