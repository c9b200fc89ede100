import type { TCronCreateRequest, TCronJob, TCronJobPatchRequest, TCronRunRequest } from "@mission-control/shared/rows";

/** A schedule request as the Schedule page lists it. */
export type TScheduleRequestView = {
  id: string;
  kind: "create" | "patch" | "delete" | "run";
  jobId: string;
  /** What it does, in words: `Pause "Nightly digest"`. */
  label: string;
  status: "queued" | "applied" | "failed";
  error: string | null;
  seq: number;
  appliedAt: string | null;
};

/** What the four request tables of the store hold (each keyed by id). */
export type TScheduleRequestRows = {
  creates: Record<string, TCronCreateRequest>;
  patches: Record<string, TCronJobPatchRequest>;
  deletes: Record<
    string,
    { id: string; job_id: string; status: TScheduleRequestView["status"]; error: string | null; seq: number; applied_at: string | null }
  >;
  runs: Record<string, TCronRunRequest>;
};

function describePatch(patch: Record<string, unknown>): string {
  const fields = Object.keys(patch).filter((key) => key !== "enabled");
  if (fields.length === 0 && typeof patch.enabled === "boolean") return patch.enabled ? "Resume" : "Pause";
  const change = `Change ${fields.join(", ")} of`;
  return typeof patch.enabled === "boolean" ? `${patch.enabled ? "Resume" : "Pause"} and ${change.toLowerCase()}` : change;
}

/**
 * Every schedule request of the store in the order the executor applies them (by seq), with what it
 * does in words. `jobs` names the jobs; a job created by a request not applied yet is named by it.
 */
export function collectScheduleRequests(rows: TScheduleRequestRows, jobs: Record<string, TCronJob>): TScheduleRequestView[] {
  const names = new Map<string, string>();
  for (const create of Object.values(rows.creates)) names.set(create.job_id, create.name);
  for (const job of Object.values(jobs)) names.set(job.id, job.name);
  const nameOf = (jobId: string) => `"${names.get(jobId) ?? "a deleted job"}"`;
  const view = (
    row: {
      id: string;
      job_id: string;
      status: TScheduleRequestView["status"];
      error: string | null;
      seq: number;
      applied_at: string | null;
    },
    kind: TScheduleRequestView["kind"],
    label: string,
  ): TScheduleRequestView => ({
    id: row.id,
    kind,
    jobId: row.job_id,
    label,
    status: row.status,
    error: row.error,
    seq: row.seq,
    appliedAt: row.applied_at,
  });
  return [
    ...Object.values(rows.creates).map((row) => view(row, "create", `Create ${nameOf(row.job_id)}`)),
    ...Object.values(rows.patches).map((row) => view(row, "patch", `${describePatch(row.patch)} ${nameOf(row.job_id)}`)),
    ...Object.values(rows.deletes).map((row) => view(row, "delete", `Delete ${nameOf(row.job_id)}`)),
    ...Object.values(rows.runs).map((row) => view(row, "run", `Run ${nameOf(row.job_id)} now`)),
  ].sort((a, b) => a.seq - b.seq);
}

/**
 * The scheduled jobs the page lists: those in cron_mirror, and those whose create request is still
 * queued (shown with what they will be, so an operator can pause or run them before the executor
 * is back), with `enabled` as the queued patches will leave it.
 */
export function jobsWithPending(
  jobs: Record<string, TCronJob>,
  creates: Record<string, TCronCreateRequest>,
  pending: readonly TScheduleRequestView[],
  patches: Record<string, TCronJobPatchRequest>,
): Array<TCronJob & { pendingCreate: boolean }> {
  const list: Array<TCronJob & { pendingCreate: boolean }> = Object.values(jobs).map((job) => ({ ...job, pendingCreate: false }));
  for (const create of Object.values(creates)) {
    if (create.status !== "queued" || jobs[create.job_id] || create.job_intent === "heartbeat") continue;
    list.push({
      id: create.job_id,
      project_id: create.project_id,
      name: create.name,
      schedule_kind: create.schedule_kind,
      schedule_expr: create.schedule_expr,
      time_zone: create.time_zone,
      missed_policy: "catch_up_once",
      job_intent: create.job_intent,
      instructions: "",
      target_agent_key: create.target_agent_key,
      enabled: create.enabled,
      last_run_at: null,
      next_run_at: null,
      heartbeat_agent_id: null,
      created_at: create.created_at,
      updated_at: create.created_at,
      seq: create.seq,
      pendingCreate: true,
    });
  }
  for (const request of pending) {
    const enabled = request.kind === "patch" && request.status === "queued" ? patches[request.id]?.patch.enabled : undefined;
    if (typeof enabled !== "boolean") continue;
    const job = list.find((item) => item.id === request.jobId);
    if (job) job.enabled = enabled;
  }
  return list;
}
