import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
let taskId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("append-only");
  taskId = await insertTask(sql, f.projectId);
  const { data: event } = await f.operator.client
    .from("task_events")
    .insert({
      project_id: f.projectId,
      task_id: taskId,
      kind: "comment",
      author_type: "user",
      author_user_id: f.operator.userId,
      content: "original",
    })
    .select("id")
    .single();
  ids.task_events = (event as { id: string }).id;
  const { rows } = await sql.query<{ id: string }>(
    "insert into public.activities (project_id, actor_type, actor, kind, summary) values ($1, 'system', 'test', 'test.append_only', 'original') returning id::text",
    [f.projectId],
  );
  ids.activities = rows[0]?.id ?? "";
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

const TABLES = [
  { table: "task_events", column: "content" },
  { table: "activities", column: "summary" },
] as const;

async function current(table: string, column: string): Promise<string[]> {
  const { rows } = await sql.query(`select ${column} as v from public.${table} where id::text = $1`, [ids[table]]);
  return rows.map((r) => r.v);
}

describe("append-only tables", () => {
  it.each(TABLES)("$table refuses an update and a delete by the operator who wrote it, and keeps the row", async ({ table, column }) => {
    const update = await f.operator.client
      .from(table)
      .update({ [column]: "changed" })
      .eq("id", ids[table])
      .select("id");
    expect(update.error?.code === "42501" || update.data?.length === 0).toBe(true);
    const del = await f.owner.client.from(table).delete().eq("id", ids[table]).select("id");
    expect(del.error?.code === "42501" || del.data?.length === 0).toBe(true);
    expect(await current(table, column)).toEqual(["original"]);
  });

  it.each(TABLES)("$table refuses an update and a delete by the service role with 42501", async ({ table, column }) => {
    const update = await serviceClient()
      .from(table)
      .update({ [column]: "changed" })
      .eq("id", ids[table]);
    expect(update.error?.code).toBe("42501");
    const del = await serviceClient().from(table).delete().eq("id", ids[table]);
    expect(del.error?.code).toBe("42501");
    expect(await current(table, column)).toEqual(["original"]);
  });

  it.each(TABLES)("$table refuses update, delete and truncate by the superuser", async ({ table, column }) => {
    await expect(sql.query(`update public.${table} set ${column} = 'changed' where id::text = $1`, [ids[table]])).rejects.toMatchObject({
      code: "42501",
    });
    await expect(sql.query(`delete from public.${table} where id::text = $1`, [ids[table]])).rejects.toMatchObject({ code: "42501" });
    await expect(sql.query(`truncate public.${table} cascade`)).rejects.toMatchObject({ code: "42501" });
    expect(await current(table, column)).toEqual(["original"]);
  });

  it("refuses truncate by the service role and by signed-in users, who hold no truncate grant", async () => {
    for (const role of ["service_role", "authenticated"]) {
      for (const { table } of TABLES) {
        const client = await sql.connect();
        try {
          await client.query("begin");
          await client.query(`set local role ${role}`);
          await expect(client.query(`truncate public.${table}`), `${role} ${table}`).rejects.toMatchObject({ code: "42501" });
        } finally {
          await client.query("rollback");
          client.release();
        }
      }
    }
    expect(await current("task_events", "content")).toEqual(["original"]);
  });

  it("still lets an owner delete a task, which removes its timeline", async () => {
    const doomed = await insertTask(sql, f.projectId, { title: "Doomed" });
    await sql.query(
      "insert into public.task_events (project_id, task_id, kind, author_type, author_agent_key, content) values ($1, $2, 'agent_update', 'agent', 'builder', 'working on it')",
      [f.projectId, doomed],
    );
    const { error } = await f.owner.client.from("tasks").delete().eq("id", doomed);
    expect(error).toBeNull();
    const { rows } = await sql.query("select count(*)::int as c from public.task_events where task_id = $1", [doomed]);
    expect(rows[0]?.c).toBe(0);
  });

  it("still lets deleting a project remove its tasks, timelines, proposals and feed", async () => {
    const { rows: created } = await sql.query<{ id: string }>(
      "insert into public.projects (name, slug) values ('Doomed', 'doomed-' || substr(md5(random()::text), 1, 8)) returning id",
    );
    const projectId = created[0]?.id ?? "";
    const task = await insertTask(sql, projectId);
    await sql.query(
      `insert into public.action_proposals (project_id, task_id, action_type, params, risk, reversibility, proposed_by_agent_key)
       values ($1, $2, 'create_task', '{"title": "x"}', 'low', 'reversible', 'builder')`,
      [projectId, task],
    );
    await sql.query("delete from public.projects where id = $1", [projectId]);
    const { rows } = await sql.query(
      `select (select count(*) from public.task_events where project_id = $1)::int as events,
              (select count(*) from public.activities where project_id = $1)::int as feed,
              (select count(*) from public.action_proposals where project_id = $1)::int as proposals`,
      [projectId],
    );
    expect(rows[0]).toEqual({ events: 0, feed: 0, proposals: 0 });
  });
});
