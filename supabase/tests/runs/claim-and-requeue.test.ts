import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase, type TMigratedDatabase } from "../../testing/create-migrated-database.ts";
import { stackInfo } from "../../testing/stack-clients.ts";

// claim_ai_runs without a run id and requeue_expired_ai_runs work on every project at once, so
// this file gets a database of its own: no other test's runs to take or requeue.
let database: TMigratedDatabase;
let sql: pg.Pool;
let projectId: string;

beforeAll(async () => {
  database = await createMigratedDatabase(stackInfo().databaseUrl, `runs_claim_${process.pid}`);
  sql = new pg.Pool({ connectionString: database.databaseUrl, max: 4 });
  const { rows } = await sql.query<{ id: string }>("insert into public.projects (name, slug) values ('Claims', 'claims') returning id");
  projectId = rows[0]?.id ?? "";
  await sql.query("insert into public.agents (project_id, agent_key, display_name) values ($1, 'builder', 'Builder')", [projectId]);
}, 180_000);
afterAll(async () => {
  await sql?.end();
  await database?.drop();
});

/** Queues runs one transaction each, so they are queued one after the other (oldest first). */
async function queueRuns(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n <= count; n++) {
    const { rows } = await sql.query<{ id: string }>(
      "insert into public.ai_runs (project_id, agent_key, mode, origin, goal) values ($1, 'builder', 'plan', 'runs_page', $2) returning id",
      [projectId, `Run ${n}`],
    );
    ids.push(rows[0]?.id ?? "");
  }
  return ids;
}

type TClaimed = Array<{ run: { id: string; attempts: number; claimed_by: string } }>;

async function claim(client: pg.ClientBase | pg.Pool, executor: string, limit: number): Promise<TClaimed> {
  const { rows } = await client.query<{ claimed: TClaimed }>("select public.claim_ai_runs($1, $2, 600) as claimed", [executor, limit]);
  return rows[0]?.claimed ?? [];
}

async function statusOf(id: string): Promise<{ status: string; attempts: number; error: string | null; claimed_by: string | null }> {
  const { rows } = await sql.query("select status, attempts, error, claimed_by from public.ai_runs where id = $1", [id]);
  return rows[0];
}

/** Lets a running run's lease lapse, as when its executor died. */
async function expireLease(id: string): Promise<void> {
  await sql.query("update public.ai_runs set lease_expires_at = now() - interval '1 second' where id = $1 and status = 'running'", [id]);
}

describe("claim_ai_runs across executors", () => {
  it("skips the runs another executor's claim holds, oldest first, so each run is claimed once", async () => {
    const ids = await queueRuns(10);
    const left = await sql.connect();
    const right = await sql.connect();
    try {
      // Left's claim is still open (its transaction holds the row locks) while right claims.
      await left.query("begin");
      const first = await claim(left, "left", 4);
      const second = await claim(right, "right", 4);
      await left.query("commit");
      expect(first.map((c) => c.run.id)).toEqual(ids.slice(0, 4));
      expect(second.map((c) => c.run.id)).toEqual(ids.slice(4, 8));
    } finally {
      left.release();
      right.release();
    }
    const rest = await Promise.all([claim(sql, "left", 4), claim(sql, "right", 4)]);
    const all = [...rest.flat().map((c) => c.run.id)];
    expect(all.sort()).toEqual(ids.slice(8).sort());
    const { rows } = await sql.query<{ c: number }>(
      "select count(*)::int as c from public.ai_runs where id = any($1::uuid[]) and status = 'running' and attempts = 1",
      [ids],
    );
    expect(rows[0]?.c).toBe(10);
    expect(await claim(sql, "late", 4)).toEqual([]);
  });
});

describe("requeue_expired_ai_runs", () => {
  it("queues a run again when its executor stopped, and fails it at the third time", async () => {
    const [id] = await queueRuns(1);
    if (!id) throw new Error("no run");
    for (const attempt of [1, 2]) {
      expect((await claim(sql, `executor-${attempt}`, 1)).map((c) => c.run.id)).toEqual([id]);
      const { rows } = await sql.query<{ n: number }>("select public.requeue_expired_ai_runs() as n");
      expect(rows[0]?.n, "nothing expired yet").toBe(0);
      await expireLease(id);
      expect((await sql.query("select public.requeue_expired_ai_runs() as n")).rows[0]?.n).toBe(1);
      expect(await statusOf(id)).toEqual({ status: "queued", attempts: attempt, error: null, claimed_by: null });
    }
    expect((await claim(sql, "executor-3", 1)).map((c) => c.run.attempts)).toEqual([3]);
    await expireLease(id);
    expect((await sql.query("select public.requeue_expired_ai_runs() as n")).rows[0]?.n).toBe(1);
    expect(await statusOf(id)).toMatchObject({
      status: "failed",
      attempts: 3,
      error: "The executor stopped 3 times while working on this run",
    });
    const { rows: events } = await sql.query<{ summary: string }>(
      "select summary from public.ai_run_events where run_id = $1 and kind = 'status' order by created_at, seq",
      [id],
    );
    expect(events.map((e) => e.summary)).toEqual([
      "Queued: started by an operator",
      "Claimed by executor-1 (attempt 1 of 3)",
      "The executor stopped; queued again",
      "Claimed by executor-2 (attempt 2 of 3)",
      "The executor stopped; queued again",
      "Claimed by executor-3 (attempt 3 of 3)",
      "Failed: The executor stopped 3 times while working on this run",
    ]);
  });

  it("leaves runs with a live lease, and runs waiting for approval, alone", async () => {
    const [live, waiting] = await queueRuns(2);
    await claim(sql, "alive", 2);
    await sql.query("update public.ai_runs set status = 'needs_approval' where id = $1", [waiting]);
    expect((await sql.query("select public.requeue_expired_ai_runs() as n")).rows[0]?.n).toBe(0);
    expect((await statusOf(live ?? "")).status).toBe("running");
    expect((await statusOf(waiting ?? "")).status).toBe("needs_approval");
  });
});
