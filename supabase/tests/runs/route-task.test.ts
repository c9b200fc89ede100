import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, insertTask, type TMember, type TProjectFixture } from "../../testing/project-fixture.ts";
import { readTaskRuns } from "../../testing/run-fixtures.ts";
import { anonClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  // The fixture's first agent, builder, has no capabilities: the fallback is the agent keyed lead.
  f = await createProjectFixture("route-task");
  await insertAgent(sql, f.projectId, "lead", { capabilities: ["planning"] });
  await insertAgent(sql, f.projectId, "backend", { capabilities: ["sql", "migrations"] });
  await insertAgent(sql, f.projectId, "web", { capabilities: ["react", "css"] });
  await insertAgent(sql, f.projectId, "retired", { enabled: false, capabilities: ["sql", "migrations", "index"] });
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

function route(member: TMember, taskId: string) {
  return member.client.rpc("route_task", { p_task_id: taskId });
}

/** A task's thread as [kind, author_type, content], oldest first. */
async function threadOf(taskId: string): Promise<string[][]> {
  const { rows } = await sql.query<{ kind: string; author_type: string; content: string }>(
    "select kind, author_type, content from public.task_events where task_id = $1 order by created_at, seq",
    [taskId],
  );
  return rows.map((r) => [r.kind, r.author_type, r.content]);
}

async function readTask(taskId: string): Promise<{ status: string; assignee_agent_key: string | null } | undefined> {
  const { rows } = await sql.query<{ status: string; assignee_agent_key: string | null }>(
    "select status, assignee_agent_key from public.tasks where id = $1",
    [taskId],
  );
  return rows[0];
}

describe("route_task", () => {
  it("assigns an inbox task to the agent whose capabilities match best and says why in its thread", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Add SQL migrations for the index" });
    const { data, error, status } = await route(f.operator, taskId);
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual({ task_id: taskId, agent_key: "backend", reason: "Routed to @backend: sql, migrations" });
    expect(await readTask(taskId)).toEqual({ status: "assigned", assignee_agent_key: "backend" });
    expect(await threadOf(taskId)).toEqual([
      ["comment", "system", "Routed to @backend: sql, migrations"],
      ["status_change", "user", "Moved from inbox to assigned"],
    ]);
    const { rows } = await sql.query("select metadata from public.task_events where task_id = $1 and kind = 'comment'", [taskId]);
    expect(rows[0]?.metadata).toEqual({ kind: "routed", routed_reason: "routed to @backend: sql, migrations", agent_key: "backend" });
  });

  it("queues the routed agent's implement run through the assignment, as the operator", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Fix the sql of the report", description: "Slow query" });
    expect(await readTaskRuns(sql, taskId)).toEqual([]);
    const { error } = await route(f.owner, taskId);
    expect(error).toBeNull();
    const runs = await readTaskRuns(sql, taskId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      agent_key: "backend",
      mode: "implement",
      origin: "assignment",
      status: "queued",
      goal: "Fix the sql of the report\n\nSlow query",
      requested_by: f.owner.userId,
    });
  });

  it("reads the description too, and leaves a task outside the inbox in its column", async () => {
    const taskId = await insertTask(sql, f.projectId, {
      title: "Polish the settings page",
      description: "A react hook and some css",
      status: "review",
    });
    const { data, error } = await route(f.operator, taskId);
    expect(error).toBeNull();
    expect(data).toMatchObject({ agent_key: "web", reason: "Routed to @web: react, css" });
    expect(await readTask(taskId)).toEqual({ status: "review", assignee_agent_key: "web" });
    expect(await threadOf(taskId)).toEqual([["comment", "system", "Routed to @web: react, css"]]);
  });

  it("falls back to the lead when no capability matches", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Water the office plants" });
    const { data, error } = await route(f.operator, taskId);
    expect(error).toBeNull();
    expect(data).toMatchObject({ agent_key: "lead", reason: "Routed to @lead: no capability matched: the lead answers" });
    expect(await readTask(taskId)).toEqual({ status: "assigned", assignee_agent_key: "lead" });
    expect((await readTaskRuns(sql, taskId)).map((r) => [r.agent_key, r.status])).toEqual([["lead", "queued"]]);
  });

  it("routes a task once when two operators route it at the same time", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Add an index in the sql migrations" });
    const answers = await Promise.all([route(f.operator, taskId), route(f.owner, taskId)]);
    expect(answers.filter((a) => a.error === null)).toHaveLength(1);
    expect(answers.find((a) => a.error !== null)?.error?.message).toBe(
      "This task is already assigned to @backend: pick another agent in the Assignee field to re-route it",
    );
    expect(await readTaskRuns(sql, taskId)).toHaveLength(1);
    expect((await threadOf(taskId)).filter(([kind]) => kind === "comment")).toHaveLength(1);
  });
});

describe("route_task refuses", () => {
  it("a task that is already assigned with 400 and what to do, changing nothing", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Add SQL migrations", assignee_agent_key: "web" });
    const { data, error, status } = await route(f.operator, taskId);
    expect(data).toBeNull();
    expect(status).toBe(400);
    expect(error).toMatchObject({
      code: "22023",
      message: "This task is already assigned to @web: pick another agent in the Assignee field to re-route it",
    });
    expect(await readTask(taskId)).toEqual({ status: "inbox", assignee_agent_key: "web" });
    expect(await threadOf(taskId)).toEqual([]);
    expect((await readTaskRuns(sql, taskId)).map((r) => r.agent_key)).toEqual(["web"]);
  });

  it("a viewer with 403 and a hint, an outsider and an unknown task with 403, changing nothing", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Viewer test about sql" });
    const viewer = await route(f.viewer, taskId);
    expect(viewer.status).toBe(403);
    expect(viewer.error).toMatchObject({
      code: "42501",
      message: "Only operators and owners of this project can route tasks",
      hint: "Ask an owner to give you the operator role.",
    });
    const outsider = await route(f.outsider, taskId);
    expect(outsider.status).toBe(403);
    expect(outsider.error).toMatchObject({ code: "42501", message: `Task ${taskId} not found` });
    const unknownId = crypto.randomUUID();
    const unknown = await route(f.operator, unknownId);
    expect(unknown.status).toBe(403);
    expect(unknown.error?.message).toBe(`Task ${unknownId} not found`);
    expect(await readTask(taskId)).toEqual({ status: "inbox", assignee_agent_key: null });
    expect(await threadOf(taskId)).toEqual([]);
    expect(await readTaskRuns(sql, taskId)).toEqual([]);
  });

  it("the anon key with 401", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Anon test about sql" });
    const { error, status } = await anonClient().rpc("route_task", { p_task_id: taskId });
    expect(status).toBe(401);
    expect(error?.code).toBe("42501");
    expect(await readTask(taskId)).toEqual({ status: "inbox", assignee_agent_key: null });
  });

  it("a project without an enabled agent with 400 and what to do, leaving the task in the inbox", async () => {
    // The outsider owns the fixture's other project, whose only agent is disabled.
    await insertAgent(sql, f.otherProjectId, "asleep", { enabled: false, capabilities: ["plants"] });
    const taskId = await insertTask(sql, f.otherProjectId, { title: "Water the plants" });
    const { error, status } = await route(f.outsider, taskId);
    expect(status).toBe(400);
    expect(error).toMatchObject({
      code: "22023",
      message: "There is no enabled agent in this project to route the task to: enable an agent on the Agents page",
    });
    expect(await readTask(taskId)).toEqual({ status: "inbox", assignee_agent_key: null });
    expect(await threadOf(taskId)).toEqual([]);
  });
});
