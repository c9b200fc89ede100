import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import {
  changesetFile,
  proposeTestChangeset,
  readRun,
  readRunEvents,
  readTaskRuns,
  runInStatus,
  setRunSettings,
  snapshotRun,
} from "../../testing/run-fixtures.ts";
import { anonClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("run-operator");
  await insertAgent(sql, f.projectId, "web", { tools_enabled: ["read_file", "apply_changeset"], risk_tolerance: "high" });
  await insertAgent(sql, f.projectId, "retired", { enabled: false });
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

/** A changeset proposed by a running implement run (on `taskId` when given); answers the ids. */
async function proposedChangeset(taskId: string | null = null): Promise<{ runId: string; changeset_id: string; proposal_id: string }> {
  const executor = `exec-${crypto.randomUUID().slice(0, 6)}`;
  const runId = await runInStatus(sql, f.projectId, "running", { mode: "implement", task_id: taskId }, executor);
  const ids = await proposeTestChangeset(sql, executor, runId, [
    changesetFile("src/a.ts", "one\ntwo\nthree", "one\n2\nthree"),
    changesetFile("src/b.ts", null, "b"),
  ]);
  return { runId, ...ids };
}

async function proposalStatus(id: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ status: string }>("select status from public.action_proposals where id = $1", [id]);
  return rows[0]?.status;
}

async function changesetStatus(id: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ status: string }>("select status from public.changesets where id = $1", [id]);
  return rows[0]?.status;
}

describe("start_ai_run", () => {
  it("queues a run for an operator, with the project's step cap, once per run id", async () => {
    await setRunSettings(sql, f.projectId, { max_steps: 5 });
    const taskId = await insertTask(sql, f.projectId, { title: "Board task" });
    const runId = crypto.randomUUID();
    const args = {
      p_project_id: f.projectId,
      p_agent_key: "builder",
      p_mode: "plan",
      p_goal: "  Plan the index  ",
      p_task_id: taskId,
      p_run_id: runId,
    };
    const { data, error } = await f.operator.client.rpc("start_ai_run", args);
    expect(error).toBeNull();
    expect(data).toMatchObject({
      id: runId,
      status: "queued",
      origin: "runs_page",
      mode: "plan",
      goal: "Plan the index",
      constraints: "",
      task_id: taskId,
      agent_key: "builder",
      max_steps: 5,
      requested_by: f.operator.userId,
      participants: ["builder"],
    });
    const again = await f.owner.client.rpc("start_ai_run", { ...args, p_goal: "something else" });
    expect(again.data).toMatchObject({ id: runId, goal: "Plan the index" });
    const { rows } = await sql.query("select count(*)::int as c from public.ai_runs where id = $1", [runId]);
    expect(rows[0]?.c).toBe(1);
    await setRunSettings(sql, f.projectId, {});
  });

  it.each([
    ["the viewer", "viewer", "42501"],
    ["a member of another project", "outsider", "42501"],
  ] as const)("refuses %s with %s", async (_who, who, code) => {
    const { error } = await f[who].client.rpc("start_ai_run", {
      p_project_id: f.projectId,
      p_agent_key: "builder",
      p_mode: "plan",
      p_goal: "x",
    });
    expect(error?.code).toBe(code);
  });

  it("refuses anon", async () => {
    const { error } = await anonClient().rpc("start_ai_run", {
      p_project_id: f.projectId,
      p_agent_key: "builder",
      p_mode: "plan",
      p_goal: "x",
    });
    expect(error?.code).toBe("42501");
  });

  it.each([
    ["an unknown mode", { p_mode: "deploy" }, "22023", 'Unknown run mode "deploy"'],
    ["an empty goal", { p_goal: "   " }, "22023", "A run needs a goal"],
    [
      "a goal longer than 20000 characters",
      { p_goal: "x".repeat(20_001) },
      "22023",
      "The goal and the constraints are at most 20000 characters each",
    ],
    ["a disabled agent", { p_agent_key: "retired" }, "PT404", "There is no enabled agent @retired in this project"],
    ["an unknown agent", { p_agent_key: "ghost" }, "PT404", "There is no enabled agent @ghost in this project"],
  ])("refuses %s with %s and a sentence", async (_what, change, code, message) => {
    const { error } = await f.operator.client.rpc("start_ai_run", {
      p_project_id: f.projectId,
      p_agent_key: "builder",
      p_mode: "plan",
      p_goal: "Plan",
      ...change,
    });
    expect(error?.code).toBe(code);
    expect(error?.message).toBe(message);
  });

  it("refuses a task of another project with PT404", async () => {
    const foreignTask = await insertTask(sql, f.otherProjectId, { title: "Not yours" });
    const { error } = await f.operator.client.rpc("start_ai_run", {
      p_project_id: f.projectId,
      p_agent_key: "builder",
      p_mode: "plan",
      p_goal: "x",
      p_task_id: foreignTask,
    });
    expect(error?.code).toBe("PT404");
  });
});

describe("cancel_ai_run", () => {
  it("cancels a queued run at once, says who did, and is idempotent", async () => {
    const runId = await runInStatus(sql, f.projectId, "queued");
    const { data, error } = await f.operator.client.rpc("cancel_ai_run", { p_run_id: runId });
    expect(error).toBeNull();
    expect(data).toMatchObject({ id: runId, status: "cancelled", cancelled_by: f.operator.userId });
    const run = await readRun(sql, runId);
    expect(run?.cancel_requested_at).not.toBeNull();
    expect(run?.finished_at).not.toBeNull();
    expect((await readRunEvents(sql, runId)).at(-1)).toMatchObject({
      kind: "status",
      summary: "Cancelled by an operator",
      data: { from: "queued", to: "cancelled" },
    });
    const again = await f.owner.client.rpc("cancel_ai_run", { p_run_id: runId });
    expect(again.error).toBeNull();
    expect(again.data).toMatchObject({ status: "cancelled", seq: (data as { seq: number }).seq });
  });

  it("withdraws the run's open proposals and expires its changeset, without waking the agent in a chat", async () => {
    const { runId, changeset_id, proposal_id } = await proposedChangeset();
    const { data, error } = await f.operator.client.rpc("cancel_ai_run", { p_run_id: runId });
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: "cancelled" });
    expect(await proposalStatus(proposal_id)).toBe("expired");
    expect(await changesetStatus(changeset_id)).toBe("expired");
    const { rows } = await sql.query(
      "select count(*)::int as c from public.project_chat_messages where project_id = $1 and metadata ->> 'proposal_id' = $2 and author_type = 'system'",
      [f.projectId, proposal_id],
    );
    expect(rows[0]?.c).toBe(0);
    const resolve = await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: proposal_id, p_decision: "approve" });
    expect(resolve.data).toMatchObject({ status: "expired" });
  });

  it.each(["completed", "failed"] as const)("refuses a %s run with PT409", async (status) => {
    const runId = await runInStatus(sql, f.projectId, status);
    const before = await snapshotRun(sql, runId);
    const { error } = await f.operator.client.rpc("cancel_ai_run", { p_run_id: runId });
    expect(error?.code).toBe("PT409");
    expect(error?.message).toBe(`Run ${runId} is already ${status}: there is nothing to cancel`);
    expect(await snapshotRun(sql, runId)).toEqual(before);
  });

  it("refuses the viewer (42501) and strangers (PT404)", async () => {
    const runId = await runInStatus(sql, f.projectId, "running");
    expect((await f.viewer.client.rpc("cancel_ai_run", { p_run_id: runId })).error?.code).toBe("42501");
    expect((await f.outsider.client.rpc("cancel_ai_run", { p_run_id: runId })).error?.code).toBe("PT404");
    expect((await f.operator.client.rpc("cancel_ai_run", { p_run_id: crypto.randomUUID() })).error?.code).toBe("PT404");
    expect((await snapshotRun(sql, runId))?.status).toBe("running");
  });
});

describe("handoff_ai_task", () => {
  it("cancels the task's runs, reassigns it and queues one implement run for the new agent with the note", async () => {
    const taskId = await insertTask(sql, f.projectId, {
      title: "Fix the form",
      description: "It loses focus",
      assignee_agent_key: "builder",
    });
    const [assigned] = await readTaskRuns(sql, taskId);
    const { data, error } = await f.operator.client.rpc("handoff_ai_task", {
      p_task_id: taskId,
      p_to_agent_key: "web",
      p_note: "The bug is in the React form",
    });
    expect(error).toBeNull();
    const runs = await readTaskRuns(sql, taskId);
    expect(runs.map((r) => [r.agent_key, r.origin, r.status])).toEqual([
      ["builder", "assignment", "cancelled"],
      ["web", "handoff", "queued"],
    ]);
    expect(runs[0]).toMatchObject({ id: assigned?.id, result_summary: "Handed off to @web" });
    expect(data).toMatchObject({
      id: runs[1]?.id,
      mode: "implement",
      goal: "Fix the form\n\nIt loses focus",
      constraints: "Hand-off note from @builder: The bug is in the React form",
      participants: ["builder", "web"],
    });
    const { rows: task } = await sql.query("select assignee_agent_key from public.tasks where id = $1", [taskId]);
    expect(task[0]?.assignee_agent_key).toBe("web");
    const events = await readRunEvents(sql, String(runs[1]?.id));
    expect(events.find((e) => e.kind === "handoff")).toMatchObject({
      agent_key: "web",
      summary: "Handed off from @builder to @web: The bug is in the React form",
      data: { from: "builder", to: "web", note: "The bug is in the React form" },
    });
    const { rows: comments } = await sql.query<{ content: string }>(
      "select content from public.task_events where task_id = $1 and kind = 'comment' and author_type = 'system'",
      [taskId],
    );
    expect(comments.map((c) => c.content)).toEqual(["Handed off from @builder to @web: The bug is in the React form"]);
    const { rows: context } = await sql.query("select public.load_ai_run_context($1) -> 'handoff_note' as note", [runs[1]?.id]);
    expect(context[0]?.note).toEqual({ from: "builder", to: "web", note: "The bug is in the React form" });
  });

  it.each([
    ["the viewer", "viewer", { p_to_agent_key: "web" }, "42501"],
    ["a member of another project", "outsider", { p_to_agent_key: "web" }, "PT404"],
    ["an agent key that is not one", "operator", { p_to_agent_key: "Web!" }, "22023"],
    ["an unknown agent", "operator", { p_to_agent_key: "ghost" }, "PT404"],
    ["a disabled agent", "operator", { p_to_agent_key: "retired" }, "PT404"],
    ["a note longer than 5000 characters", "operator", { p_to_agent_key: "web", p_note: "n".repeat(5001) }, "22023"],
  ] as const)("refuses %s", async (_what, who, change, code) => {
    const taskId = await insertTask(sql, f.projectId, { title: "Stays", assignee_agent_key: "builder" });
    const before = await readTaskRuns(sql, taskId);
    const { error } = await f[who].client.rpc("handoff_ai_task", { p_task_id: taskId, p_note: "note", ...change });
    expect(error?.code).toBe(code);
    expect(await readTaskRuns(sql, taskId)).toEqual(before);
  });
});

describe("request_changeset_revision", () => {
  it("stores the reviews, rejects the proposal and queues the next iteration with the comments", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Review me" });
    const { runId, changeset_id, proposal_id } = await proposedChangeset(taskId);
    const reviews = [
      { kind: "revise", comment: "Use a named constant", path: "src/a.ts", line: 2 },
      { kind: "question", comment: "Why a new file?", path: "src/b.ts" },
      { kind: "nit", comment: "Summary could be shorter" },
    ];
    const { data, error } = await f.operator.client.rpc("request_changeset_revision", { p_changeset_id: changeset_id, p_reviews: reviews });
    expect(error).toBeNull();
    const comments = "src/a.ts:2 [revise] Use a named constant\nsrc/b.ts [question] Why a new file?\n[nit] Summary could be shorter";
    expect(data).toMatchObject({
      mode: "implement",
      origin: "revision",
      status: "queued",
      parent_run_id: runId,
      iteration: 2,
      task_id: taskId,
      agent_key: "builder",
      goal: "Test run",
      constraints: `Revise your changeset "Change some files" after review:\n${comments}`,
    });
    expect(await changesetStatus(changeset_id)).toBe("revision_requested");
    const { rows: proposal } = await sql.query(
      "select status, resolved_by, resolution_comment from public.action_proposals where id = $1",
      [proposal_id],
    );
    expect(proposal[0]).toEqual({
      status: "rejected",
      resolved_by: f.operator.userId,
      resolution_comment: `Revision requested:\n${comments}`,
    });
    const { rows: stored } = await sql.query(
      "select kind, path, line, comment, author_user_id from public.changeset_reviews where changeset_id = $1 order by seq",
      [changeset_id],
    );
    expect(stored).toEqual(reviews.map((r) => ({ path: null, line: null, ...r, author_user_id: f.operator.userId })));
    expect(await snapshotRun(sql, runId)).toMatchObject({ status: "completed", result_summary: "Revision requested" });

    const again = await f.operator.client.rpc("request_changeset_revision", { p_changeset_id: changeset_id, p_reviews: reviews });
    expect(again.data).toMatchObject({ id: (data as { id: string }).id });
    const { rows } = await sql.query("select count(*)::int as c from public.changeset_reviews where changeset_id = $1", [changeset_id]);
    expect(rows[0]?.c).toBe(3);
  });

  it.each([
    ["no reviews", []],
    ["a review of an unknown kind", [{ kind: "rant", comment: "x" }]],
    ["an empty comment", [{ kind: "nit", comment: "  " }]],
    ["a file that is not in the changeset", [{ kind: "revise", comment: "x", path: "src/zzz.ts" }]],
    ["a line without its file", [{ kind: "revise", comment: "x", line: 3 }]],
    ["a line that is not a whole number from 1", [{ kind: "revise", comment: "x", path: "src/a.ts", line: 0 }]],
  ])("refuses %s with 22023 and changes nothing", async (_what, reviews) => {
    const { changeset_id, proposal_id } = await proposedChangeset();
    const { error } = await f.operator.client.rpc("request_changeset_revision", { p_changeset_id: changeset_id, p_reviews: reviews });
    expect(error?.code).toBe("22023");
    expect(await changesetStatus(changeset_id)).toBe("proposed");
    expect(await proposalStatus(proposal_id)).toBe("proposed");
  });

  it("refuses a changeset that is no longer proposed (PT409) and the viewer (42501)", async () => {
    const { changeset_id, proposal_id } = await proposedChangeset();
    const reviews = [{ kind: "revise", comment: "x" }];
    expect(
      (await f.viewer.client.rpc("request_changeset_revision", { p_changeset_id: changeset_id, p_reviews: reviews })).error?.code,
    ).toBe("42501");
    await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: proposal_id, p_decision: "reject", p_comment: "no" });
    const { error } = await f.operator.client.rpc("request_changeset_revision", { p_changeset_id: changeset_id, p_reviews: reviews });
    expect(error?.code).toBe("PT409");
    expect(error?.message).toBe(`Changeset ${changeset_id} is already rejected: a revision can only be asked of a proposed changeset`);
  });
});

describe("add_changeset_review", () => {
  it("adds a comment on a line and resolves nothing", async () => {
    const { changeset_id, proposal_id } = await proposedChangeset();
    const { data, error } = await f.operator.client.rpc("add_changeset_review", {
      p_changeset_id: changeset_id,
      p_kind: "question",
      p_comment: " Is this safe? ",
      p_path: "src/a.ts",
      p_line: 1,
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({
      kind: "question",
      comment: "Is this safe?",
      path: "src/a.ts",
      line: 1,
      author_user_id: f.operator.userId,
    });
    expect(await changesetStatus(changeset_id)).toBe("proposed");
    expect(await proposalStatus(proposal_id)).toBe("proposed");
  });

  it("refuses a bad review (22023) and the viewer (42501)", async () => {
    const { changeset_id } = await proposedChangeset();
    const bad = await f.operator.client.rpc("add_changeset_review", { p_changeset_id: changeset_id, p_kind: "praise", p_comment: "nice" });
    expect(bad.error?.code).toBe("22023");
    expect(bad.error?.message).toBe('Review 1: unknown kind "praise"');
    const viewer = await f.viewer.client.rpc("add_changeset_review", { p_changeset_id: changeset_id, p_kind: "nit", p_comment: "x" });
    expect(viewer.error?.code).toBe("42501");
  });
});

describe("request_changeset_rollback", () => {
  it("asks for the rollback of an applied changeset once, and refuses one that was not applied", async () => {
    const { changeset_id, proposal_id } = await proposedChangeset();
    const early = await f.operator.client.rpc("request_changeset_rollback", { p_changeset_id: changeset_id });
    expect(early.error?.code).toBe("PT409");
    expect(early.error?.message).toBe("Only an applied changeset can be rolled back (this one is proposed)");

    await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: proposal_id, p_decision: "approve" });
    await sql.query("select public.claim_approved_proposals('exec-apply', 1, $1)", [proposal_id]);
    await sql.query(`select public.finish_action_proposal($1, 'exec-apply', true, '{"paths": ["src/a.ts", "src/b.ts"]}')`, [proposal_id]);
    expect(await changesetStatus(changeset_id)).toBe("applied");

    expect((await f.viewer.client.rpc("request_changeset_rollback", { p_changeset_id: changeset_id })).error?.code).toBe("42501");
    const { data, error } = await f.operator.client.rpc("request_changeset_rollback", { p_changeset_id: changeset_id });
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: "applied", rollback_requested_by: f.operator.userId });
    const again = await f.owner.client.rpc("request_changeset_rollback", { p_changeset_id: changeset_id });
    expect(again.data).toMatchObject({
      rollback_requested_by: f.operator.userId,
      rollback_requested_at: (data as { rollback_requested_at: string }).rollback_requested_at,
    });
  });
});
