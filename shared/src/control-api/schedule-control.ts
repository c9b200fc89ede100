import { z } from "zod";

/** The body of `POST /api/schedule/apply`: the project whose queued schedule requests to apply now. */
export const ZApplyScheduleRequest = z.object({ project_id: z.guid({ error: "must be the id of a project" }) });
/** The body of `POST /api/schedule/apply`. */
export type TApplyScheduleRequest = z.infer<typeof ZApplyScheduleRequest>;

/** What became of one schedule request (cron_create / _job_patch / _delete / _run_requests). */
export const ZScheduleRequestOutcome = z.object({
  kind: z.enum(["create", "patch", "delete", "run"]),
  request_id: z.string(),
  status: z.enum(["applied", "failed"]),
  error: z.string().nullable(),
});
/** What became of one schedule request. */
export type TScheduleRequestOutcome = z.infer<typeof ZScheduleRequestOutcome>;

/**
 * The 200 answer of `POST /api/schedule/apply`: the requests this call applied, in order (empty
 * when another executor was applying them at the same moment: they are applied there).
 */
export const ZApplyScheduleAnswer = z.object({ applied: z.array(ZScheduleRequestOutcome) });
/** The 200 answer of `POST /api/schedule/apply`. */
export type TApplyScheduleAnswer = z.infer<typeof ZApplyScheduleAnswer>;
