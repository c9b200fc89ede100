import crypto from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createProjectFixture,
  dropProjectFixture,
  insertProposal,
  insertTask,
  type TProjectFixture,
} from "../../testing/project-fixture.ts";
import { anonClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
let taskId: string;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("rls-matrix");
  taskId = await insertTask(sql, f.projectId, { title: "Matrix task" });
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

interface TTableCase {
  /** Column the test writes a unique marker into, to find rows by it. */
  marker: string;
  /** Inserts one row as the superuser with the marker value; returns its id. */
  seed: (marker: string) => Promise<string>;
  /** A row the actor would insert through the API. */
  row: (marker: string, userId: string) => Record<string, unknown>;
  /** Who may do what; everyone else is denied. */
  allowed: Record<TOp, TActor[]>;
}

const members: TActor[] = ["viewer", "operator", "owner"];
const operators: TActor[] = ["operator", "owner"];

const TABLES: Record<string, TTableCase> = {
  tasks: {
    marker: "title",
    seed: (m) => insertTask(sql, f.projectId, { title: m }),
    row: (m) => ({ project_id: f.projectId, title: m }),
    allowed: { select: members, insert: operators, update: operators, delete: ["owner"] },
  },
  task_events: {
    marker: "content",
    seed: async (m) =>
      (
        await sql.query<{ id: string }>(
          "insert into public.task_events (project_id, task_id, kind, author_type, content) values ($1, $2, 'comment', 'system', $3) returning id",
          [f.projectId, taskId, m],
        )
      ).rows[0]?.id ?? "",
    row: (m, userId) => ({
      project_id: f.projectId,
      task_id: taskId,
      kind: "comment",
      author_type: "user",
      author_user_id: userId,
      content: m,
    }),
    allowed: { select: members, insert: operators, update: [], delete: [] },
  },
  action_proposals: {
    marker: "summary",
    seed: (m) => insertProposal(sql, f.projectId, { summary: m }),
    row: (m) => ({
      project_id: f.projectId,
      action_type: "create_task",
      params: { title: "x" },
      risk: "low",
      reversibility: "reversible",
      proposed_by_agent_key: "builder",
      summary: m,
    }),
    allowed: { select: members, insert: [], update: [], delete: [] },
  },
  task_comments: {
    marker: "body",
    seed: async (m) =>
      (
        await sql.query<{ id: string }>(
          "insert into public.task_comments (task_id, author, body) values ($1, 'builder', $2) returning id",
          [taskId, m],
        )
      ).rows[0]?.id ?? "",
    row: (m) => ({ task_id: taskId, author: "me", body: m }),
    allowed: { select: members, insert: [], update: [], delete: [] },
  },
  task_outputs: {
    marker: "title",
    seed: async (m) =>
      (
        await sql.query<{ id: string }>(
          "insert into public.task_outputs (task_id, author, title) values ($1, 'builder', $2) returning id",
          [taskId, m],
        )
      ).rows[0]?.id ?? "",
    row: (m) => ({ task_id: taskId, author: "me", title: m }),
    allowed: { select: members, insert: [], update: [], delete: [] },
  },
  cron_mirror: {
    marker: "name",
    seed: async (m) =>
      (
        await sql.query<{ id: string }>(
          "insert into public.cron_mirror (project_id, name, schedule_kind, schedule_expr) values ($1, $2, 'every', '1h') returning id",
          [f.projectId, m],
        )
      ).rows[0]?.id ?? "",
    row: (m) => ({ project_id: f.projectId, name: m, schedule_kind: "cron", schedule_expr: "0 9 * * 1" }),
    allowed: { select: members, insert: operators, update: operators, delete: operators },
  },
  // Invites name people who are not members yet: only owners read them, and only RPCs write them.
  project_invites: {
    marker: "error",
    seed: async (m) =>
      (
        await sql.query<{ id: string }>(
          // Failed (never claimed), so no executor mails it and clears the marker.
          "insert into public.project_invites (project_id, email, role, status, error) values ($1, $2, 'viewer', 'failed', $3) returning id",
          [f.projectId, `${crypto.randomUUID().slice(0, 8)}@example.test`, m],
        )
      ).rows[0]?.id ?? "",
    row: (m) => ({ project_id: f.projectId, email: `${crypto.randomUUID().slice(0, 8)}@example.test`, role: "viewer", error: m }),
    allowed: { select: ["owner"], insert: [], update: [], delete: [] },
  },
};

const cases = Object.keys(TABLES).flatMap((table) =>
  OPS.flatMap((op) => ACTORS.map((who) => ({ table, op, who, allowed: TABLES[table]?.allowed[op].includes(who) ?? false }))),
);

async function countWhere(table: string, column: string, value: string): Promise<number> {
  const { rows } = await sql.query<{ c: number }>(`select count(*)::int as c from public.${table} where ${column} = $1`, [value]);
  return rows[0]?.c ?? -1;
}

describe("row level security of the task and approval tables", () => {
  it.each(cases)("$table: $op by $who is allowed: $allowed", async ({ table, op, who, allowed }) => {
    const t = TABLES[table];
    if (!t) throw new Error(table);
    const { client, userId } = actor(who);
    const marker = `${table}-${op}-${who}-${crypto.randomUUID().slice(0, 8)}`;

    if (op === "insert") {
      const { error } = await client.from(table).insert(t.row(marker, userId));
      if (allowed) expect(error).toBeNull();
      else expect(error?.code).toBe("42501");
      expect(await countWhere(table, t.marker, marker)).toBe(allowed ? 1 : 0);
      return;
    }

    const id = await t.seed(marker);
    if (op === "select") {
      const { data, error } = await client.from(table).select("id").eq("id", id);
      if (allowed) expect(data).toEqual([{ id }]);
      else expect(error?.code === "42501" || (error === null && data?.length === 0)).toBe(true);
      return;
    }
    if (op === "update") {
      const changed = `${marker}-changed`;
      const { data, error } = await client
        .from(table)
        .update({ [t.marker]: changed })
        .eq("id", id)
        .select("id");
      if (allowed) expect(data).toEqual([{ id }]);
      else expect(error?.code === "42501" || (error === null && data?.length === 0)).toBe(true);
      expect(await countWhere(table, t.marker, marker)).toBe(allowed ? 0 : 1);
      expect(await countWhere(table, t.marker, changed)).toBe(allowed ? 1 : 0);
      return;
    }
    const { data, error } = await client.from(table).delete().eq("id", id).select("id");
    if (allowed) expect(data).toEqual([{ id }]);
    else expect(error?.code === "42501" || (error === null && data?.length === 0)).toBe(true);
    expect(await countWhere(table, "id", id)).toBe(allowed ? 0 : 1);
  });

  it("refuses an operator's comment written in someone else's name or as an agent", async () => {
    const forged = [
      { author_type: "user", author_user_id: f.owner.userId },
      { author_type: "agent", author_agent_key: "builder", author_user_id: f.operator.userId },
      { author_type: "system", author_user_id: f.operator.userId },
    ];
    for (const author of forged) {
      const content = `forged-${crypto.randomUUID()}`;
      const { error } = await f.operator.client
        .from("task_events")
        .insert({ project_id: f.projectId, task_id: taskId, kind: "comment", content, ...author });
      expect(error?.code).toBe("42501");
      expect(await countWhere("task_events", "content", content)).toBe(0);
    }
  });

  it.each(["status_change", "agent_update", "approval_request", "approval_resolved"])(
    "refuses an operator's %s event: only comments and outputs come from people",
    async (kind) => {
      const content = `kind-${crypto.randomUUID()}`;
      const { error } = await f.operator.client.from("task_events").insert({
        project_id: f.projectId,
        task_id: taskId,
        kind,
        author_type: "user",
        author_user_id: f.operator.userId,
        content,
      });
      expect(error?.code).toBe("42501");
      expect(await countWhere("task_events", "content", content)).toBe(0);
    },
  );

  it("lets an operator add an output as themselves", async () => {
    const content = `output-${crypto.randomUUID()}`;
    const { error } = await f.operator.client.from("task_events").insert({
      project_id: f.projectId,
      task_id: taskId,
      kind: "output_added",
      author_type: "user",
      author_user_id: f.operator.userId,
      content,
      metadata: { title: "Report", url: "https://example.test/report" },
    });
    expect(error).toBeNull();
    expect(await countWhere("task_events", "content", content)).toBe(1);
  });

  it("refuses an operator's event on another project's task, or a task moved into a project they do not belong to", async () => {
    const foreignTask = await insertTask(sql, f.otherProjectId, { title: "Foreign" });
    const content = `foreign-${crypto.randomUUID()}`;
    const mismatched = await f.operator.client.from("task_events").insert({
      project_id: f.projectId,
      task_id: foreignTask,
      kind: "comment",
      author_type: "user",
      author_user_id: f.operator.userId,
      content,
    });
    expect(mismatched.error).not.toBeNull();
    expect(await countWhere("task_events", "content", content)).toBe(0);
    const moved = await f.operator.client.from("tasks").update({ project_id: f.otherProjectId }).eq("id", taskId).select("id");
    expect(moved.error?.code).toBe("42501");
    expect(await countWhere("tasks", "project_id", f.projectId)).toBeGreaterThan(0);
    const { rows } = await sql.query("select project_id from public.tasks where id = $1", [taskId]);
    expect(rows[0]?.project_id).toBe(f.projectId);
  });
});
