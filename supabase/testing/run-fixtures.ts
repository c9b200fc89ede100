import crypto from "node:crypto";
import { RUN_STATUSES } from "@mission-control/shared/schemas";
import type pg from "pg";

/** Every status of a run (the shared enum the SQL check is tested against). */
export const TEST_RUN_STATUSES = RUN_STATUSES;
/** One of TEST_RUN_STATUSES. */
export type TTestRunStatus = (typeof RUN_STATUSES)[number];

/** A run row as the tests read it back (the columns they assert on). */
export interface TRunSnapshot {
  status: string;
  seq: string;
  claimed_by: string | null;
  attempts: number;
  error: string | null;
  result_summary: string | null;
}

/** A timeline entry as the tests read it back, oldest first. */
export interface TRunEventRow {
  kind: string;
  agent_key: string | null;
  summary: string;
  data: Record<string, unknown>;
}

/** Runs a query as the superuser and returns its first row. */
async function first<T extends pg.QueryResultRow>(sql: pg.Pool, text: string, values: unknown[] = []): Promise<T | undefined> {
  const { rows } = await sql.query<T>(text, values);
  return rows[0];
}

/** Queues a run as the superuser (what the triggers and RPCs do) and returns its id: a plan run of `builder` unless `fields` say otherwise. */
export async function queueTestRun(sql: pg.Pool, projectId: string, fields: Record<string, unknown> = {}): Promise<string> {
  const row: Record<string, unknown> = {
    project_id: projectId,
    agent_key: "builder",
    mode: "plan",
    origin: "runs_page",
    goal: "Test run",
    ...fields,
  };
  const cols = Object.keys(row);
  const values = Object.values(row).map((v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? JSON.stringify(v) : v));
  const inserted = await first<{ id: string }>(
    sql,
    `insert into public.ai_runs (${cols.join(", ")}) values (${cols.map((_, i) => `$${i + 1}`).join(", ")}) returning id`,
    values,
  );
  return inserted?.id ?? "";
}

/** One claimed run as claim_ai_runs answers it. */
export interface TClaimedRun {
  run: Record<string, unknown> & { id: string; status: string; attempts: number };
  context: Record<string, unknown>;
}

/** Claims runs for `executorId` (only `runId` when given) and returns what the executor gets. */
export async function claimTestRuns(
  sql: pg.Pool,
  executorId: string,
  runId: string | null = null,
  limit = 4,
  leaseSeconds = 30,
): Promise<TClaimedRun[]> {
  const row = await first<{ claimed: TClaimedRun[] }>(sql, "select public.claim_ai_runs($1, $2, $3, $4) as claimed", [
    executorId,
    limit,
    leaseSeconds,
    runId,
  ]);
  return row?.claimed ?? [];
}

/** Reads a run back as the superuser. */
export async function snapshotRun(sql: pg.Pool, runId: string): Promise<TRunSnapshot | undefined> {
  return first<TRunSnapshot>(
    sql,
    "select status, seq::text, claimed_by, attempts, error, result_summary from public.ai_runs where id = $1",
    [runId],
  );
}

/** The whole run row, as JSON, or undefined when it does not exist. */
export async function readRun(sql: pg.Pool, runId: string): Promise<Record<string, unknown> | undefined> {
  const row = await first<{ run: Record<string, unknown> }>(sql, "select to_jsonb(r) as run from public.ai_runs r where r.id = $1", [
    runId,
  ]);
  return row?.run;
}

/** A run's timeline, oldest first. */
export async function readRunEvents(sql: pg.Pool, runId: string): Promise<TRunEventRow[]> {
  const { rows } = await sql.query<TRunEventRow>(
    "select kind, agent_key, summary, data from public.ai_run_events where run_id = $1 order by created_at, seq",
    [runId],
  );
  return rows;
}

/** The runs of a task, oldest first. */
export async function readTaskRuns(sql: pg.Pool, taskId: string): Promise<Array<Record<string, unknown> & { id: string; status: string }>> {
  const { rows } = await sql.query<{ run: Record<string, unknown> & { id: string; status: string } }>(
    "select to_jsonb(r) as run from public.ai_runs r where r.task_id = $1 order by r.created_at, r.seq",
    [taskId],
  );
  return rows.map((r) => r.run);
}

/**
 * Walks a fresh run to `status` through the real paths: queued by insert, running by
 * claim_ai_runs, needs_approval, completed and failed by the executor, cancelled by stop_ai_run.
 */
export async function runInStatus(
  sql: pg.Pool,
  projectId: string,
  status: TTestRunStatus,
  fields: Record<string, unknown> = {},
  executorId = `executor-${crypto.randomUUID().slice(0, 8)}`,
): Promise<string> {
  const id = await queueTestRun(sql, projectId, fields);
  if (status === "queued") return id;
  if (status === "cancelled") {
    await sql.query("select public.stop_ai_run($1, 'cancelled by the test', null)", [id]);
    return id;
  }
  const claimed = await claimTestRuns(sql, executorId, id, 1);
  if (claimed.length !== 1) throw new Error(`run ${id} was not claimed`);
  if (status === "running") return id;
  if (status === "needs_approval") {
    await sql.query("update public.ai_runs set status = 'needs_approval' where id = $1", [id]);
    return id;
  }
  await sql.query("select public.finish_ai_run($1, $2, $3, 'done by the test', $4)", [
    executorId,
    id,
    status,
    status === "failed" ? "broken by the test" : null,
  ]);
  return id;
}

/** The sha-256 (hex) of a file's text, as the executor computes it. */
export function sha256(text: string): string {
  return crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * One file of a changeset as the executor sends it to propose_run_changeset: `base` null adds the
 * file, `next` null deletes it. The diff is a stand-in (the SQL stores it, it does not parse it).
 */
export function changesetFile(
  path: string,
  base: string | null,
  next: string | null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const before = base === null ? [] : base.split("\n");
  const after = next === null ? [] : next.split("\n");
  return {
    path,
    change_kind: base === null ? "add" : next === null ? "delete" : "modify",
    base_sha256: base === null ? null : sha256(base),
    base_content: base,
    new_content: next,
    new_sha256: next === null ? null : sha256(next),
    unified_diff: `--- a/${path}\n+++ b/${path}\n@@\n${before.map((l) => `-${l}`).join("\n")}\n${after.map((l) => `+${l}`).join("\n")}\n`,
    rationale: `Change ${path}`,
    risk_notes: "",
    additions: after.length,
    deletions: before.length,
    ...extra,
  };
}

/** Proposes a changeset for a run the executor holds (propose_run_changeset) and returns its ids. */
export async function proposeTestChangeset(
  sql: pg.Pool,
  executorId: string,
  runId: string,
  files: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): Promise<{ changeset_id: string; proposal_id: string }> {
  const row = await first<{ ids: { changeset_id: string; proposal_id: string } }>(
    sql,
    "select public.propose_run_changeset($1, $2, $3) as ids",
    [executorId, runId, JSON.stringify({ summary: "Change some files", risk: "low", files, ...extra })],
  );
  if (!row) throw new Error("propose_run_changeset answered nothing");
  return row.ids;
}

/** Sets the project's run settings (project_settings key runs). */
export async function setRunSettings(sql: pg.Pool, projectId: string, settings: Record<string, unknown>): Promise<void> {
  await sql.query(
    `insert into public.project_settings (project_id, key, value) values ($1, 'runs', $2)
     on conflict (project_id, key) do update set value = excluded.value`,
    [projectId, JSON.stringify(settings)],
  );
}
