import { type TScheduleRequestOutcome, ZScheduleRequestOutcome } from "@mission-control/shared/control-api";
import type { Database } from "@mission-control/shared/db";
import { z } from "zod";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** A scheduled job as the executor reads it. */
export type TCronJob = Database["public"]["Tables"]["cron_mirror"]["Row"];
/** One occurrence of a scheduled job. */
export type TCronJobRun = Database["public"]["Tables"]["cron_job_runs"]["Row"];

/** What the executor computed for one job at `now` (see claim_cron_occurrences). */
export type TOccurrenceClaim = {
  job_id: string;
  schedule_rev: number;
  expected_next_run_at: string | null;
  next_run_at: string | null;
  due_count: number;
  first_due: string | null;
  latest_due: string | null;
};

/** Enabled jobs due at `now`, or whose schedule changed since their next run was computed. */
export async function listDueJobs(db: TDb, options: { now: Date; projectIds: readonly string[]; limit: number }): Promise<TCronJob[]> {
  const { data, error } = await db.rpc("list_due_cron_jobs", {
    p_now: options.now.toISOString(),
    p_limit: options.limit,
    ...(options.projectIds.length > 0 ? { p_project_ids: [...options.projectIds] } : {}),
  });
  if (error) throw readDbError(error, "Could not list the scheduled jobs that are due", "database_unreachable");
  return data ?? [];
}

/** Moves each job on to its next run (one executor wins per job) and answers the occurrences this executor now holds. */
export async function claimOccurrences(
  db: TDb,
  options: { executorId: string; now: Date; items: TOccurrenceClaim[]; leaseSeconds: number; graceSeconds: number },
): Promise<TCronJobRun[]> {
  const { data, error } = await db.rpc("claim_cron_occurrences", {
    p_executor_id: options.executorId,
    p_now: options.now.toISOString(),
    p_items: options.items,
    p_lease_seconds: options.leaseSeconds,
    p_grace_seconds: options.graceSeconds,
  });
  if (error) throw readDbError(error, "Could not claim the due occurrences of scheduled jobs", "database_unreachable");
  return data ?? [];
}

/** Claims queued occurrences ("Run now") and those whose executor died before they produced anything. */
export async function claimOpenRuns(
  db: TDb,
  options: { executorId: string; now: Date; leaseSeconds: number; limit: number; projectIds: readonly string[] },
): Promise<TCronJobRun[]> {
  const { data, error } = await db.rpc("claim_open_cron_job_runs", {
    p_executor_id: options.executorId,
    p_now: options.now.toISOString(),
    p_lease_seconds: options.leaseSeconds,
    p_limit: options.limit,
    ...(options.projectIds.length > 0 ? { p_project_ids: [...options.projectIds] } : {}),
  });
  if (error) throw readDbError(error, "Could not claim open occurrences of scheduled jobs", "database_unreachable");
  return data ?? [];
}

/** Does the work of occurrences this executor holds (heartbeat check, run, or activity), in one round trip; answers those it fired. */
export async function fireRuns(db: TDb, options: { executorId: string; runIds: string[]; now: Date }): Promise<TCronJobRun[]> {
  const { data, error } = await db.rpc("fire_cron_job_runs", {
    p_executor_id: options.executorId,
    p_run_ids: options.runIds,
    p_now: options.now.toISOString(),
  });
  if (error) throw readDbError(error, `Could not fire ${options.runIds.length} occurrence(s) of scheduled jobs`, "database_unreachable");
  return data ?? [];
}

/**
 * Applies the queued schedule requests (create, patch, delete, run now) of `projectIds` (all when
 * empty) in the order they were made, each once; answers what became of each (empty when another
 * executor is applying them right now).
 */
export async function applyScheduleRequests(
  db: TDb,
  options: { executorId: string; now: Date; projectIds: readonly string[] },
): Promise<TScheduleRequestOutcome[]> {
  const { data, error } = await db.rpc("apply_cron_requests", {
    p_executor_id: options.executorId,
    p_now: options.now.toISOString(),
    ...(options.projectIds.length > 0 ? { p_project_ids: [...options.projectIds] } : {}),
  });
  if (error) throw readDbError(error, "Could not apply the queued schedule requests", "database_unreachable");
  return z.array(ZScheduleRequestOutcome).parse(data ?? []);
}
