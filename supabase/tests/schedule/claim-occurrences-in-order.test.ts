import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
const JOBS = 300;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("cron-order");
  await sql.query(
    `insert into public.cron_mirror (project_id, name, schedule_kind, schedule_expr, time_zone)
     select $1, 'Job ' || n, 'every', '15m', 'UTC' from generate_series(1, $2) n`,
    [f.projectId, JOBS],
  );
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

/** Every job of the project as claim items that move its next run on by 15 minutes, in `order`. */
async function items(order: "asc" | "desc") {
  const { rows } = await sql.query<{ items: unknown }>(
    `select jsonb_agg(jsonb_build_object(
        'job_id', id, 'schedule_rev', schedule_rev, 'expected_next_run_at', next_run_at,
        'next_run_at', coalesce(next_run_at, now()) + interval '15 minutes', 'due_count', 0
      ) order by id ${order === "asc" ? "asc" : "desc"}) as items
     from public.cron_mirror where project_id = $1`,
    [f.projectId],
  );
  return rows[0]?.items;
}

describe("claim_cron_occurrences", () => {
  it("never deadlocks when two executors claim the same jobs in opposite orders at once", async () => {
    for (let round = 0; round < 5; round++) {
      const [up, down] = await Promise.all([items("asc"), items("desc")]);
      const claim = (list: unknown, executor: string) =>
        sql.query("select * from public.claim_cron_occurrences($1, now(), $2::jsonb)", [executor, JSON.stringify(list)]);
      const results = await Promise.allSettled([claim(up, "exec-up"), claim(down, "exec-down")]);
      const errors = results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error).message)] : []));
      expect(errors).toEqual([]);
    }
    // Each round moved every job once: the compare-and-set let exactly one executor move each.
    const { rows } = await sql.query<{ moved: number }>(
      "select count(*)::int as moved from public.cron_mirror where project_id = $1 and next_run_at > now() + interval '70 minutes'",
      [f.projectId],
    );
    expect(rows[0]?.moved).toBe(JOBS);
  });
});
