import { ZChangeset, ZChangesetFile, ZChangesetReview, ZRun, ZRunEvent } from "@mission-control/shared/rows";
import { afterAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { sqlPool } from "../../testing/stack-clients.ts";

const pool = sqlPool();
afterAll(() => pool.end());

/** Each run table, the row schema shared declares for it, and the columns only the database and the executor use. */
const TABLES: Array<{ table: string; row: z.ZodObject; internal: string[] }> = [
  {
    table: "ai_runs",
    row: ZRun,
    internal: ["lease_expires_at", "heartbeat_at", "cancelled_by", "source_message_id", "source_task_event_id"],
  },
  { table: "ai_run_events", row: ZRunEvent, internal: [] },
  {
    table: "changesets",
    row: ZChangeset,
    internal: ["rolled_back_by", "rollback_requested_by", "rollback_claimed_by", "rollback_claimed_at"],
  },
  { table: "changeset_files", row: ZChangesetFile, internal: [] },
  { table: "changeset_reviews", row: ZChangesetReview, internal: [] },
];

describe("the run and changeset tables", () => {
  it.each(TABLES)("$table has exactly the columns of its shared row schema, plus its internal ones", async ({ table, row, internal }) => {
    const { rows } = await pool.query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_schema = 'public' and table_name = $1",
      [table],
    );
    expect(rows.map((r) => r.column_name).sort()).toEqual([...Object.keys(row.shape), ...internal].sort());
  });

  it.each(TABLES)("$table has a comment, row level security and no grants to anon", async ({ table }) => {
    const { rows } = await pool.query<{ commented: boolean; rls: boolean; anon: boolean }>(
      `select obj_description(c.oid, 'pg_class') is not null as commented, c.relrowsecurity as rls,
              has_table_privilege('anon', c.oid, 'select') or has_table_privilege('anon', c.oid, 'insert') as anon
       from pg_class c where c.oid = format('public.%I', $1::text)::regclass`,
      [table],
    );
    expect(rows[0]).toEqual({ commented: true, rls: true, anon: false });
  });

  it("comments every function this issue added, and grants none of them to anon", async () => {
    const { rows } = await pool.query<{ name: string; commented: boolean; anon: boolean }>(
      `select p.oid::regprocedure::text as name, obj_description(p.oid, 'pg_proc') is not null as commented,
              has_function_privilege('anon', p.oid, 'execute') as anon
       from pg_proc p
       where p.pronamespace = 'public'::regnamespace
         and (p.proname ~ '(ai_run|changeset|run_command|route_agent|hand_off|handoff|start_run|follow_run|workspace_path|run_settings)'
              or p.proname in ('queue_ai_run', 'stop_ai_run', 'describe_run_origin', 'check_action_proposal_run'))`,
    );
    expect(rows.length).toBeGreaterThan(25);
    expect(rows.filter((r) => !r.commented).map((r) => r.name)).toEqual([]);
    expect(rows.filter((r) => r.anon).map((r) => r.name)).toEqual([]);
  });
});
