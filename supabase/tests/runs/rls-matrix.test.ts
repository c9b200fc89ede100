import crypto from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { queueTestRun, sha256 } from "../../testing/run-fixtures.ts";
import { anonClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
let runId: string;
let changesetId: string;

/** Inserts a changeset (with a run of its own) as the superuser and returns its id. */
async function insertChangeset(summary: string): Promise<string> {
  const run = await queueTestRun(sql, f.projectId, { mode: "implement" });
  const { rows } = await sql.query<{ id: string }>(
    "insert into public.changesets (project_id, run_id, agent_key, summary) values ($1, $2, 'builder', $3) returning id",
    [f.projectId, run, summary],
  );
  return rows[0]?.id ?? "";
}

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("runs-rls");
  runId = await queueTestRun(sql, f.projectId);
  changesetId = await insertChangeset("Matrix changeset");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

type TActor = "anon" | "viewer" | "operator" | "owner" | "outsider";
type TOp = "select" | "insert" | "update" | "delete";
const ACTORS: TActor[] = ["anon", "viewer", "operator", "owner", "outsider"];
const OPS: TOp[] = ["select", "insert", "update", "delete"];

function actor(name: TActor): { client: SupabaseClient; userId: string } {
  if (name === "anon") return { client: anonClient(), userId: crypto.randomUUID() };
  return f[name];
}

function marker(): string {
  return `m-${crypto.randomUUID().slice(0, 12)}`;
}

let position = 0;

interface TTableCase {
  /** The text column the test writes a unique marker into, to find rows by it. */
  marker: string;
  /** Inserts one row as the superuser with the marker; returns its id. */
  seed: (marker: string) => Promise<string>;
  /** A row the actor would insert through the API. */
  row: (marker: string, userId: string) => Record<string, unknown>;
}

const TABLES: Record<string, TTableCase> = {
  ai_runs: {
    marker: "goal",
    seed: (m) => queueTestRun(sql, f.projectId, { goal: m }),
    row: (m) => ({ project_id: f.projectId, agent_key: "builder", mode: "plan", origin: "runs_page", goal: m }),
  },
  ai_run_events: {
    marker: "summary",
    seed: async (m) =>
      (
        await sql.query<{ id: string }>(
          "insert into public.ai_run_events (project_id, run_id, kind, summary) values ($1, $2, 'message', $3) returning id",
          [f.projectId, runId, m],
        )
      ).rows[0]?.id ?? "",
    row: (m) => ({ project_id: f.projectId, run_id: runId, kind: "message", summary: m }),
  },
  changesets: {
    marker: "summary",
    seed: insertChangeset,
    row: (m) => ({ project_id: f.projectId, run_id: runId, agent_key: "builder", summary: m }),
  },
  changeset_files: {
    marker: "path",
    seed: async (m) => {
      position += 1;
      const { rows } = await sql.query<{ id: string }>(
        `insert into public.changeset_files (project_id, changeset_id, position, path, change_kind, new_content, new_sha256)
         values ($1, $2, $3, $4, 'add', 'x', $5) returning id`,
        [f.projectId, changesetId, position, m, sha256("x")],
      );
      return rows[0]?.id ?? "";
    },
    row: (m) => ({
      project_id: f.projectId,
      changeset_id: changesetId,
      position: 49,
      path: m,
      change_kind: "add",
      new_content: "x",
      new_sha256: sha256("x"),
    }),
  },
  changeset_reviews: {
    marker: "comment",
    seed: async (m) =>
      (
        await sql.query<{ id: string }>(
          "insert into public.changeset_reviews (project_id, changeset_id, kind, comment) values ($1, $2, 'nit', $3) returning id",
          [f.projectId, changesetId, m],
        )
      ).rows[0]?.id ?? "",
    row: (m, userId) => ({ project_id: f.projectId, changeset_id: changesetId, kind: "nit", comment: m, author_user_id: userId }),
  },
};

/** Members read; nobody signed in writes (every write is an RPC); anon sees nothing. */
const ALLOWED: Record<TOp, TActor[]> = { select: ["viewer", "operator", "owner"], insert: [], update: [], delete: [] };

const cases = Object.keys(TABLES).flatMap((table) =>
  OPS.flatMap((op) => ACTORS.map((who) => ({ table, op, who, allowed: ALLOWED[op].includes(who) }))),
);

async function countWhere(table: string, column: string, value: string): Promise<number> {
  const { rows } = await sql.query<{ c: number }>(`select count(*)::int as c from public.${table} where ${column} = $1`, [value]);
  return rows[0]?.c ?? -1;
}

describe("row level security of the run and changeset tables", () => {
  it.each(cases)("$table: $op by $who is allowed: $allowed", async ({ table, op, who, allowed }) => {
    const t = TABLES[table];
    if (!t) throw new Error(table);
    const { client, userId } = actor(who);
    const m = marker();

    if (op === "insert") {
      const { error } = await client.from(table).insert(t.row(m, userId));
      expect(error?.code).toBe("42501");
      expect(await countWhere(table, t.marker, m)).toBe(0);
      return;
    }

    const id = await t.seed(m);
    if (op === "select") {
      const { data, error } = await client.from(table).select("id").eq("id", id);
      if (allowed) expect(data).toEqual([{ id }]);
      else expect(error?.code === "42501" || (error === null && data?.length === 0)).toBe(true);
      return;
    }
    if (op === "update") {
      const { data, error } = await client
        .from(table)
        .update({ [t.marker]: `${m}-changed` })
        .eq("id", id)
        .select("id");
      expect(error?.code === "42501" || (error === null && data?.length === 0)).toBe(true);
      expect(await countWhere(table, t.marker, m)).toBe(1);
      return;
    }
    const { data, error } = await client.from(table).delete().eq("id", id).select("id");
    expect(error?.code === "42501" || (error === null && data?.length === 0)).toBe(true);
    expect(await countWhere(table, "id", id)).toBe(1);
  });

  it("shows members of another project none of this project's runs", async () => {
    const { data, error } = await f.outsider.client.from("ai_runs").select("id").eq("project_id", f.projectId);
    expect(error).toBeNull();
    expect(data).toEqual([]);
    const own = await f.viewer.client.from("ai_runs").select("id").eq("id", runId);
    expect(own.data).toEqual([{ id: runId }]);
  });
});
