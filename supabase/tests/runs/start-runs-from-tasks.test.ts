import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import { claimTestRuns, readTaskRuns } from "../../testing/run-fixtures.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("task-runs");
  for (const key of ["web", "docs", "qa"]) await insertAgent(sql, f.projectId, key);
  await insertAgent(sql, f.projectId, "retired", { enabled: false });
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

/** The runs of a task as [agent, mode, origin, status]. */
async function runsOf(taskId: string): Promise<string[][]> {
  return (await readTaskRuns(sql, taskId)).map((r) => [String(r.agent_key), String(r.mode), String(r.origin), r.status]);
}

/** Comments in a task thread as the operator, through the API, as the dashboard does. */
async function comment(taskId: string, content: string) {
  return f.operator.client
    .from("task_events")
    .insert({ project_id: f.projectId, task_id: taskId, kind: "comment", author_type: "user", author_user_id: f.operator.userId, content })
    .select("id")
    .single();
}

async function assign(taskId: string, agentKey: string | null) {
  const { error } = await f.operator.client.from("tasks").update({ assignee_agent_key: agentKey }).eq("id", taskId);
  if (error) throw new Error(error.message);
}

describe("assigning a task", () => {
  it("queues an implement run for the agent a new task is assigned to, as the operator who created it", async () => {
    const { data, error } = await f.operator.client
      .from("tasks")
      .insert({ project_id: f.projectId, title: "Add a CHANGELOG entry", description: "For 1.2", assignee_agent_key: "builder" })
      .select("id")
      .single();
    expect(error).toBeNull();
    const [run, ...more] = await readTaskRuns(sql, (data as { id: string }).id);
    expect(more).toEqual([]);
    expect(run).toMatchObject({
      agent_key: "builder",
      mode: "implement",
      origin: "assignment",
      status: "queued",
      goal: "Add a CHANGELOG entry\n\nFor 1.2",
      requested_by: f.operator.userId,
    });
  });

  it("queues nothing for a task without an assignee, or one assigned to a disabled agent", async () => {
    const inbox = await insertTask(sql, f.projectId, { title: "Inbox" });
    expect(await runsOf(inbox)).toEqual([]);
    const disabled = await insertTask(sql, f.projectId, { title: "Disabled", assignee_agent_key: "retired" });
    expect(await runsOf(disabled)).toEqual([]);
  });

  it("moves the work to the new assignee: the previous one's queued run is cancelled, its running one is left", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Move me", assignee_agent_key: "builder" });
    await assign(taskId, "web");
    expect(await runsOf(taskId)).toEqual([
      ["builder", "implement", "assignment", "cancelled"],
      ["web", "implement", "assignment", "queued"],
    ]);
    const [cancelled] = await readTaskRuns(sql, taskId);
    expect(cancelled?.result_summary).toBe("The task was reassigned to @web");

    const [webRun] = (await readTaskRuns(sql, taskId)).filter((r) => r.agent_key === "web");
    await claimTestRuns(sql, "exec-assign", webRun?.id ?? null, 1);
    await assign(taskId, "docs");
    expect(await runsOf(taskId)).toEqual([
      ["builder", "implement", "assignment", "cancelled"],
      ["web", "implement", "assignment", "running"],
      ["docs", "implement", "assignment", "queued"],
    ]);
  });

  it("queues nothing when the assignee is cleared, or carried along by renaming the agent", async () => {
    await insertAgent(sql, f.projectId, "renamer");
    const taskId = await insertTask(sql, f.projectId, { title: "Rename", assignee_agent_key: "renamer" });
    await sql.query("update public.agents set agent_key = 'renamed' where project_id = $1 and agent_key = 'renamer'", [f.projectId]);
    const { rows } = await sql.query("select assignee_agent_key from public.tasks where id = $1", [taskId]);
    expect(rows[0]?.assignee_agent_key).toBe("renamed");
    await assign(taskId, null);
    expect(await runsOf(taskId)).toEqual([["renamer", "implement", "assignment", "queued"]]);
  });
});

describe("a comment in a task thread", () => {
  it("asks the assignee for a plan when it mentions nobody", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Plan me" });
    await sql.query("update public.tasks set assignee_agent_key = 'builder' where id = $1", [taskId]);
    const { data } = await comment(taskId, "What would you change first?");
    const runs = await readTaskRuns(sql, taskId);
    expect(runs.at(-1)).toMatchObject({
      agent_key: "builder",
      mode: "plan",
      origin: "comment",
      goal: "What would you change first?",
      source_task_event_id: (data as { id: string }).id,
      requested_by: f.operator.userId,
    });
  });

  it("starts nothing on an unassigned task that mentions nobody", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Quiet" });
    const { error } = await comment(taskId, "Just a note, write to me@web.example later");
    expect(error).toBeNull();
    expect(await runsOf(taskId)).toEqual([]);
  });

  it("asks each mentioned enabled agent for a plan, at most three, in the order they are mentioned", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Mentions" });
    await comment(taskId, "@qa and @web, then @retired, @ghost, @docs and @builder: thoughts?");
    expect(await runsOf(taskId)).toEqual([
      ["qa", "plan", "mention", "queued"],
      ["web", "plan", "mention", "queued"],
      ["docs", "plan", "mention", "queued"],
    ]);
  });

  it("runs a slash command for the named agent, else the assignee", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Commands", description: "Details" });
    await sql.query("update public.tasks set assignee_agent_key = 'builder' where id = $1", [taskId]);
    await comment(taskId, "/implement @web: make the button blue");
    await comment(taskId, "/plan");
    await comment(taskId, "/test");
    const runs = (await readTaskRuns(sql, taskId)).filter((r) => r.origin !== "assignment");
    expect(runs.map((r) => [r.agent_key, r.mode, r.origin, r.goal])).toEqual([
      ["web", "implement", "command", "make the button blue"],
      ["builder", "plan", "command", "Commands\n\nDetails"],
      ["builder", "test", "command", "Run the project's tests"],
    ]);
  });

  it("refuses, with a sentence, a command that names no agent on an unassigned task or a disabled one", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Nobody" });
    const missing = await comment(taskId, "/plan the rollout");
    expect(missing.error?.code).toBe("22023");
    expect(missing.error?.message).toBe("Name the agent: /plan @agent <goal>");
    const disabled = await comment(taskId, "/implement @retired do it");
    expect(disabled.error?.code).toBe("PT404");
    expect(disabled.error?.message).toBe("There is no enabled agent @retired in this project");
    const handoff = await comment(taskId, "/handoff");
    expect(handoff.error?.code).toBe("22023");
    const { rows } = await sql.query("select count(*)::int as c from public.task_events where task_id = $1 and kind = 'comment'", [taskId]);
    expect(rows[0]?.c).toBe(0);
    expect(await runsOf(taskId)).toEqual([]);
  });

  it("cancels the task's active runs with /cancel, or only the named agent's", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Cancel me", assignee_agent_key: "builder" });
    await comment(taskId, "@web have a look");
    const [assigned] = await readTaskRuns(sql, taskId);
    await claimTestRuns(sql, "exec-cancel", assigned?.id ?? null, 1);
    await comment(taskId, "/cancel @web");
    expect(await runsOf(taskId)).toEqual([
      ["builder", "implement", "assignment", "running"],
      ["web", "plan", "mention", "cancelled"],
    ]);
    await comment(taskId, "/cancel");
    expect(await runsOf(taskId)).toEqual([
      ["builder", "implement", "assignment", "cancelled"],
      ["web", "plan", "mention", "cancelled"],
    ]);
    const runs = await readTaskRuns(sql, taskId);
    expect(runs[0]).toMatchObject({ cancelled_by: f.operator.userId, result_summary: "Cancelled with /cancel in the task thread" });
  });

  it("hands the task over with /handoff @agent note", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Hand me", assignee_agent_key: "builder" });
    await comment(taskId, "/handoff @docs please write the README part");
    expect(await runsOf(taskId)).toEqual([
      ["builder", "implement", "assignment", "cancelled"],
      ["docs", "implement", "handoff", "queued"],
    ]);
    const runs = await readTaskRuns(sql, taskId);
    expect(runs[1]?.constraints).toBe("Hand-off note from @builder: please write the README part");
    const { rows } = await sql.query("select assignee_agent_key from public.tasks where id = $1", [taskId]);
    expect(rows[0]?.assignee_agent_key).toBe("docs");
  });
});
