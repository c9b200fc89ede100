import { collectDueFireTimes, describeScheduleProblem, nextFireTimes, type TScheduleSpec } from "@mission-control/shared/schemas";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import {
  applyScheduleRequests,
  claimOccurrences,
  claimOpenRuns,
  fireRuns,
  listDueJobs,
  type TCronJob,
  type TCronJobRun,
  type TOccurrenceClaim,
} from "./schedule-rpcs.ts";

/** What one scheduler tick needs; `now` is the clock (injected by tests). */
export type TSchedulerDeps = {
  db: TDb;
  executorId: string;
  now: () => Date;
  /** An occurrence held longer than this without producing anything is taken over by another executor. */
  leaseSeconds: number;
  /** A due time older than this at the tick counts as missed (the skip policy records it instead of running it). */
  graceSeconds: number;
  /** Only jobs of these projects (empty: every project). */
  projectIds: readonly string[];
  /** Jobs read per tick. */
  batchSize: number;
  log: Logger;
  /** Fires a batch of held occurrences (default: fire_cron_job_runs); tests replace it to crash mid-run. */
  fire?: (runs: TCronJobRun[], now: Date) => Promise<TCronJobRun[]>;
};

/** What a tick did. */
export type TTickReport = { jobs: number; claimed: number; fired: TCronJobRun[] };

/** Occurrences fired per round trip, and round trips in flight. */
const FIRE_BATCH = 100;
const FIRE_CONCURRENCY = 4;

function specOf(job: TCronJob): TScheduleSpec {
  return { kind: job.schedule_kind as TScheduleSpec["kind"], expr: job.schedule_expr, timeZone: job.time_zone };
}

/**
 * The claim for one job at `now`: a job whose schedule changed (or is new) gets its first fire
 * time after now; a due job its due times and the next one. A schedule that cannot be read gets
 * no next run (logged), so it is not read again until it is edited.
 */
export function planOccurrence(job: TCronJob, now: Date, log: Logger): TOccurrenceClaim {
  const base = { job_id: job.id, schedule_rev: job.schedule_rev, expected_next_run_at: job.next_run_at };
  const none = { ...base, next_run_at: null, due_count: 0, first_due: null, latest_due: null };
  const spec = specOf(job);
  const problem = describeScheduleProblem(spec);
  if (problem) {
    log.warn(
      { jobId: job.id, projectId: job.project_id, problem },
      "scheduled job has a schedule that cannot be read; it will not run until it is edited",
    );
    return none;
  }
  if (job.scheduled_rev !== job.schedule_rev || job.next_run_at === null) {
    const [next] = nextFireTimes(spec, now, 1);
    return { ...none, next_run_at: next?.toISOString() ?? null };
  }
  const due = collectDueFireTimes(spec, new Date(job.next_run_at), now);
  return {
    ...base,
    next_run_at: due.next?.toISOString() ?? null,
    due_count: due.dueCount,
    first_due: due.firstDue?.toISOString() ?? null,
    latest_due: due.latestDue?.toISOString() ?? null,
  };
}

/**
 * One scheduler tick at `deps.now()`: applies queued schedule requests, reads the due jobs, claims their occurrences (a
 * compare-and-set per job, so any number of executors fire each occurrence once), takes over
 * queued occurrences and those of dead executors, and fires what it holds.
 */
export async function runSchedulerTick(deps: TSchedulerDeps): Promise<TTickReport> {
  const now = deps.now();
  // Controls written while no executor ran (Backup mode) apply first, in order, before the jobs are read.
  await applyScheduleRequests(deps.db, { executorId: deps.executorId, now, projectIds: deps.projectIds });
  const jobs = await listDueJobs(deps.db, { now, projectIds: deps.projectIds, limit: deps.batchSize });
  const items = jobs.map((job) => planOccurrence(job, now, deps.log));
  const claimed =
    items.length > 0
      ? await claimOccurrences(deps.db, {
          executorId: deps.executorId,
          now,
          items,
          leaseSeconds: deps.leaseSeconds,
          graceSeconds: deps.graceSeconds,
        })
      : [];
  const open = await claimOpenRuns(deps.db, {
    executorId: deps.executorId,
    now,
    leaseSeconds: deps.leaseSeconds,
    limit: deps.batchSize,
    projectIds: deps.projectIds,
  });
  const held = [...claimed, ...open];
  const fire =
    deps.fire ??
    ((runs: TCronJobRun[], at: Date) => fireRuns(deps.db, { executorId: deps.executorId, runIds: runs.map((r) => r.id), now: at }));
  const batches: TCronJobRun[][] = [];
  for (let i = 0; i < held.length; i += FIRE_BATCH) batches.push(held.slice(i, i + FIRE_BATCH));
  const fired: TCronJobRun[] = [];
  for (let i = 0; i < batches.length; i += FIRE_CONCURRENCY) {
    const results = await Promise.all(batches.slice(i, i + FIRE_CONCURRENCY).map((batch) => fire(batch, now)));
    for (const result of results) fired.push(...result);
  }
  if (held.length > 0) deps.log.debug({ jobs: jobs.length, claimed: claimed.length, open: open.length }, "scheduler fired occurrences");
  return { jobs: jobs.length, claimed: held.length, fired };
}
