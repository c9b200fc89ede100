import { createSupabaseClient } from "@mission-control/shared/db";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import { serviceClient, sqlPool, stackInfo } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("task-status");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

async function statusEvents(taskId: string) {
  const { rows } = await sql.query(
    "select author_type, author_user_id, author_agent_key, content, metadata from public.task_events where task_id = $1 and kind = 'status_change' order by seq",
    [taskId],
  );
  return rows;
}

describe("tasks", () => {
  it("writes a status_change event with from, to and the signed-in operator on every status change", async () => {
    const { data, error } = await f.operator.client
      .from("tasks")
      .insert({ project_id: f.projectId, title: "Write the plan" })
      .select("id,status,created_by")
      .single();
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: "inbox", created_by: f.operator.userId });
    const id = (data as { id: string }).id;
    await f.operator.client.from("tasks").update({ status: "assigned", assignee_agent_key: "builder" }).eq("id", id);
    await f.operator.client.from("tasks").update({ title: "Write the plan (v2)" }).eq("id", id);
    await f.operator.client.from("tasks").update({ status: "done" }).eq("id", id);
    expect(await statusEvents(id)).toEqual([
      {
        author_type: "user",
        author_user_id: f.operator.userId,
        author_agent_key: null,
        content: "Moved from inbox to assigned",
        metadata: { from: "inbox", to: "assigned" },
      },
      {
        author_type: "user",
        author_user_id: f.operator.userId,
        author_agent_key: null,
        content: "Moved from assigned to done",
        metadata: { from: "assigned", to: "done" },
      },
    ]);
  });

  it("names the agent the executor acts for, from the x-agent-key header of a service role request", async () => {
    const id = await insertTask(sql, f.projectId, { assignee_agent_key: "builder", status: "assigned" });
    const s = stackInfo();
    const asAgent = createSupabaseClient(s.url, s.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { headers: { "x-agent-key": "builder" } },
    });
    const { error } = await asAgent.from("tasks").update({ status: "in_progress" }).eq("id", id);
    expect(error).toBeNull();
    await serviceClient().from("tasks").update({ status: "review" }).eq("id", id);
    expect((await statusEvents(id)).map((e) => [e.author_type, e.author_agent_key])).toEqual([
      ["agent", "builder"],
      ["system", null],
    ]);
  });

  it("ignores an x-agent-key header sent by a signed-in user", async () => {
    const id = await insertTask(sql, f.projectId);
    const s = stackInfo();
    const forged = createSupabaseClient(s.url, s.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      global: {
        headers: {
          "x-agent-key": "builder",
          Authorization: `Bearer ${(await f.operator.client.auth.getSession()).data.session?.access_token}`,
        },
      },
    });
    const { error } = await forged.from("tasks").update({ status: "blocked" }).eq("id", id);
    expect(error).toBeNull();
    expect((await statusEvents(id)).map((e) => [e.author_type, e.author_user_id, e.author_agent_key])).toEqual([
      ["user", f.operator.userId, null],
    ]);
  });

  it.each(["assigned", "in_progress"])("refuses %s without an assignee agent", async (status) => {
    const id = await insertTask(sql, f.projectId);
    const { error } = await f.operator.client.from("tasks").update({ status }).eq("id", id);
    expect(error?.code).toBe("23514");
    const { rows } = await sql.query("select status from public.tasks where id = $1", [id]);
    expect(rows[0]?.status).toBe("inbox");
    expect(await statusEvents(id)).toEqual([]);
  });

  it("lets a card without an assignee move between review, blocked, done and inbox", async () => {
    const id = await insertTask(sql, f.projectId);
    for (const status of ["review", "blocked", "done", "inbox"]) {
      const { error } = await f.operator.client.from("tasks").update({ status }).eq("id", id);
      expect(error, status).toBeNull();
    }
    expect((await statusEvents(id)).map((e) => e.metadata.to)).toEqual(["review", "blocked", "done", "inbox"]);
  });

  it("refuses an assignee that is not an agent of the project", async () => {
    const { error } = await f.operator.client.from("tasks").insert({ project_id: f.projectId, title: "x", assignee_agent_key: "ghost" });
    expect(error?.code).toBe("23503");
  });

  it.each([
    ["not an array", { text: "a", done: false }],
    ["an item without done", [{ text: "a" }]],
    ["an empty text", [{ text: " ", done: false }]],
    ["a string done", [{ text: "a", done: "yes" }]],
    ["an extra key", [{ text: "a", done: true, by: "me" }]],
  ])("refuses a definition of done that is %s", async (_, definition_of_done) => {
    const title = `dod-${Math.random()}`;
    const { error } = await f.operator.client.from("tasks").insert({ project_id: f.projectId, title, definition_of_done });
    expect(error?.code).toBe("23514");
    const { rows } = await sql.query("select count(*)::int as c from public.tasks where title = $1", [title]);
    expect(rows[0]?.c).toBe(0);
  });

  it("accepts a checklist of text and done items, with labels, priority and due date", async () => {
    const { data, error } = await f.operator.client
      .from("tasks")
      .insert({
        project_id: f.projectId,
        title: "Ship",
        priority: "urgent",
        labels: ["release", "web"],
        due_at: "2026-12-01T09:00:00Z",
        definition_of_done: [
          { text: "Tests pass", done: true },
          { text: "Docs updated", done: false },
        ],
      })
      .select("priority,labels,definition_of_done")
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({
      priority: "urgent",
      labels: ["release", "web"],
      definition_of_done: [
        { text: "Tests pass", done: true },
        { text: "Docs updated", done: false },
      ],
    });
  });

  it("refuses an operator creating a task in someone else's name", async () => {
    const title = `impersonated-${Math.random()}`;
    const { error } = await f.operator.client.from("tasks").insert({ project_id: f.projectId, title, created_by: f.owner.userId });
    expect(error?.code).toBe("42501");
    const { rows } = await sql.query("select count(*)::int as c from public.tasks where title = $1", [title]);
    expect(rows[0]?.c).toBe(0);
  });

  it("writes each status change into the project feed as well", async () => {
    const id = await insertTask(sql, f.projectId, { title: "Feed me" });
    await f.operator.client.from("tasks").update({ status: "review" }).eq("id", id);
    const { rows } = await sql.query("select actor_type, actor, kind, summary from public.activities where ref ->> 'task_id' = $1", [id]);
    expect(rows).toEqual([
      { actor_type: "user", actor: f.operator.userId, kind: "task.status_changed", summary: '"Feed me" moved from inbox to review' },
    ]);
  });

  it("sends an agent's assigned and in-progress cards back to the inbox when the agent is removed", async () => {
    await sql.query("insert into public.agents (project_id, agent_key, display_name) values ($1, 'temp', 'Temp')", [f.projectId]);
    const assigned = await insertTask(sql, f.projectId, { assignee_agent_key: "temp", status: "assigned" });
    const reviewing = await insertTask(sql, f.projectId, { assignee_agent_key: "temp", status: "review" });
    const { error } = await f.owner.client.from("agents").delete().eq("project_id", f.projectId).eq("agent_key", "temp");
    expect(error).toBeNull();
    const { rows } = await sql.query("select id, status, assignee_agent_key from public.tasks where id = any($1::uuid[])", [
      [assigned, reviewing],
    ]);
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.status, r.assignee_agent_key]]))).toEqual({
      [assigned]: ["inbox", null],
      [reviewing]: ["review", null],
    });
    expect((await statusEvents(assigned)).map((e) => [e.author_type, e.metadata.to])).toEqual([["user", "inbox"]]);
  });

  it("refuses a person clearing the assignee of work in progress", async () => {
    const id = await insertTask(sql, f.projectId, { assignee_agent_key: "builder", status: "in_progress" });
    const { error } = await f.operator.client.from("tasks").update({ assignee_agent_key: null }).eq("id", id);
    expect(error?.code).toBe("23514");
    const { rows } = await sql.query("select status, assignee_agent_key from public.tasks where id = $1", [id]);
    expect(rows[0]).toEqual({ status: "in_progress", assignee_agent_key: "builder" });
  });
});
