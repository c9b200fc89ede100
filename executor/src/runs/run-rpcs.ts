import type { Json } from "@mission-control/shared/db";
import { AppError } from "@mission-control/shared/errors";
import { type TRun, ZRun } from "@mission-control/shared/rows";
import type { TRunEventKind } from "@mission-control/shared/schemas";
import { CLAIM_PRIORITY } from "../db/claim-priority.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import { decodeClaimedRunRows, decodeRunContext, type TPendingRun } from "./decode-claimed-runs.ts";

/** SQLSTATE the run RPCs answer when the run is no longer running under this executor (cancelled, finished, taken over): HTTP 409. */
export const RUN_NOT_RUNNING_SQLSTATE = "PT409";

/** Thrown when the database refuses a write because the run is no longer this executor's to work. */
export class RunNotRunningError extends AppError {
  constructor(message: string) {
    super("conflict", { message });
  }
}

/** One entry of a run's timeline, as the executor writes it. */
export type TRunEventInput = { kind: TRunEventKind; summary: string; data?: Record<string, unknown> };

/** A run's progress besides its events: step, tokens, cost, the effective settings. */
export type TRunProgress = {
  current_step?: string;
  step_count?: number;
  input_tokens_delta?: number;
  output_tokens_delta?: number;
  cost_usd_delta?: number;
  settings?: Record<string, unknown>;
};

function refusal(error: { code?: string; message: string; hint?: string | null }, what: string): AppError {
  if (error.code === RUN_NOT_RUNNING_SQLSTATE) return new RunNotRunningError(`${what}: ${error.message}`);
  return readDbError(error, what, error.code === "22023" || error.code === "23514" ? "invalid_input" : "internal");
}

/**
 * Claims up to `limit` queued runs (or the one run `runId`) for this executor, with a lease. The
 * claim commits without the contexts (its "Started …" updates are visible at once) and answers as
 * soon as it has; one more call then reads every claimed run's context in the background, so the
 * claim loop can take the next runs meanwhile. A context that cannot be read rejects that run's
 * `input`: its lease expires and it is queued again.
 */
export async function claimRuns(
  db: TDb,
  options: {
    executorId: string;
    limit: number;
    leaseSeconds: number;
    runId?: string;
    /** Only runs of these projects (empty: every project). */
    projectIds: readonly string[];
    onMalformed: (problem: AppError) => void;
  },
): Promise<TPendingRun[]> {
  const claimed = await db
    .rpc("claim_ai_runs", {
      p_executor_id: options.executorId,
      p_limit: options.limit,
      p_lease_seconds: options.leaseSeconds,
      p_with_context: false,
      ...(options.runId ? { p_run_id: options.runId } : {}),
      ...(options.projectIds.length > 0 ? { p_project_ids: [...options.projectIds] } : {}),
    })
    .setHeader(CLAIM_PRIORITY.header, CLAIM_PRIORITY.value);
  if (claimed.error) throw readDbError(claimed.error, "Could not claim runs", "database_unreachable");
  const runs = decodeClaimedRunRows(claimed.data, options.onMalformed);
  if (runs.length === 0) return [];
  const contexts = (async () => {
    const { data, error } = await db.rpc("load_ai_run_contexts", { p_run_ids: runs.map((r) => r.id) });
    if (error) throw readDbError(error, "Could not read the claimed runs' contexts", "database_unreachable");
    return new Map((Array.isArray(data) ? (data as { run_id: string; context: unknown }[]) : []).map((c) => [c.run_id, c.context]));
  })();
  // Each run awaits its own entry; one rejection is reported once per run, there.
  contexts.catch(() => {});
  return runs.map(({ id, run }) => ({
    id,
    run,
    input: contexts.then((byRun) => decodeRunContext(byRun.get(id) ?? null)),
    batchSize: runs.length,
  }));
}

/** Extends the leases of `runIds`; answers the ids that are no longer running here (to abort). */
export async function heartbeatRuns(db: TDb, options: { executorId: string; runIds: string[]; leaseSeconds: number }): Promise<string[]> {
  const { data, error } = await db.rpc("heartbeat_ai_runs", {
    p_executor_id: options.executorId,
    p_run_ids: options.runIds,
    p_lease_seconds: options.leaseSeconds,
  });
  if (error) throw readDbError(error, "Could not extend the runs' leases", "database_unreachable");
  return Array.isArray(data) ? data.map(String) : [];
}

/** Appends events to a run's timeline and applies its progress; refused once the run is not running here. */
export async function recordRunProgress(
  db: TDb,
  options: { executorId: string; runId: string; events: TRunEventInput[]; progress?: TRunProgress },
): Promise<void> {
  const { error } = await db.rpc("record_ai_run_progress", {
    p_executor_id: options.executorId,
    p_run_id: options.runId,
    p_events: options.events.map((e) => ({ kind: e.kind, summary: e.summary, data: e.data ?? {} })) as Json,
    p_progress: (options.progress ?? {}) as Json,
  });
  if (error) throw refusal(error, "Could not record the run's progress");
}

/** The row propose_run_changeset takes for one file. */
export type TChangesetFileRow = {
  path: string;
  change_kind: "add" | "modify" | "delete";
  base_sha256: string | null;
  base_content: string | null;
  new_content: string | null;
  new_sha256: string | null;
  unified_diff: string;
  rationale: string;
  risk_notes: string;
  additions: number;
  deletions: number;
};

/** Proposes a run's changeset: the run waits for approval afterwards. */
export async function proposeRunChangeset(
  db: TDb,
  options: { executorId: string; runId: string; changeset: { summary: string; risk: string; files: TChangesetFileRow[] } },
): Promise<{ changesetId: string; proposalId: string }> {
  const { data, error } = await db.rpc("propose_run_changeset", {
    p_executor_id: options.executorId,
    p_run_id: options.runId,
    p_changeset: options.changeset as unknown as Json,
  });
  if (error) throw refusal(error, "The changeset was refused");
  const answer = (data ?? {}) as { changeset_id?: string; proposal_id?: string };
  if (!answer.changeset_id || !answer.proposal_id) throw new AppError("internal", { message: "propose_run_changeset answered no ids" });
  return { changesetId: answer.changeset_id, proposalId: answer.proposal_id };
}

/** Proposes another action during a run (create_task, …): it waits for a human like any proposal. */
export async function proposeRunAction(
  db: TDb,
  options: { executorId: string; runId: string; proposal: Record<string, unknown> },
): Promise<{ proposalId: string }> {
  const { data, error } = await db.rpc("propose_run_action", {
    p_executor_id: options.executorId,
    p_run_id: options.runId,
    p_proposal: options.proposal as Json,
  });
  if (error) throw refusal(error, "The proposal was refused");
  const answer = (data ?? {}) as { proposal_id?: string };
  if (!answer.proposal_id) throw new AppError("internal", { message: "propose_run_action answered no proposal id" });
  return { proposalId: answer.proposal_id };
}

/** Hands a run's work to another agent: this run ends (the database writes the handoff event), the next run is queued. */
export async function handOffRun(db: TDb, options: { executorId: string; runId: string; toAgentKey: string; note: string }): Promise<TRun> {
  const { data, error } = await db.rpc("handoff_ai_run", {
    p_executor_id: options.executorId,
    p_run_id: options.runId,
    p_to_agent_key: options.toAgentKey,
    p_note: options.note,
  });
  if (error) throw refusal(error, "The hand-off was refused");
  return ZRun.parse(data);
}

/** Finishes a run (completed or failed); the database may keep it in needs_approval while its proposals wait. */
export async function finishRun(
  db: TDb,
  options: {
    executorId: string;
    runId: string;
    outcome: "completed" | "failed";
    summary: string;
    error?: string | null;
    test?: Record<string, unknown> | null;
  },
): Promise<TRun> {
  const { data, error } = await db.rpc("finish_ai_run", {
    p_executor_id: options.executorId,
    p_run_id: options.runId,
    p_outcome: options.outcome,
    p_summary: options.summary,
    ...(options.error ? { p_error: options.error } : {}),
    ...(options.test ? { p_test: options.test as Json } : {}),
  });
  if (error) throw refusal(error, "Could not finish the run");
  return ZRun.parse(data);
}

/** Queues again (or fails, after 3 attempts) the runs whose executor stopped renewing their lease. */
export async function requeueExpiredRuns(db: TDb): Promise<number> {
  const { data, error } = await db.rpc("requeue_expired_ai_runs");
  if (error) throw readDbError(error, "Could not requeue expired runs", "database_unreachable");
  return typeof data === "number" ? data : 0;
}
