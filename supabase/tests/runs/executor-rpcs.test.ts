import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import {
  changesetFile,
  claimTestRuns,
  proposeTestChangeset,
  queueTestRun,
  readRun,
  readRunEvents,
  readTaskRuns,
  runInStatus,
  snapshotRun,
} from "../../testing/run-fixtures.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("run-executor");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

/** Calls an executor RPC as the superuser and returns its answer as JSON (a row's columns by name). */
async function call<T = unknown>(fn: string, ...args: unknown[]): Promise<T> {
  const { rows } = await sql.query<{ answer: T }>(
    `select to_jsonb(public.${fn}(${args.map((_, i) => `$${i + 1}`).join(", ")})) as answer`,
    args.map((a) => (a !== null && typeof a === "object" && !Array.isArray(a) ? JSON.stringify(a) : a)),
  );
  return rows[0]?.answer as T;
}

/** A running implement run claimed by `executor`. */
async function runningImplementRun(executor: string, fields: Record<string, unknown> = {}): Promise<string> {
  return runInStatus(sql, f.projectId, "running", { mode: "implement", ...fields }, executor);
}

describe("the executor's run RPCs", () => {
  it("are refused to signed-in users, whatever their role", async () => {
    const runId = await queueTestRun(sql, f.projectId);
    for (const [fn, args] of [
      ["claim_ai_runs", { p_executor_id: "browser", p_run_id: runId }],
      ["load_ai_run_context", { p_run_id: runId }],
      ["heartbeat_ai_runs", { p_executor_id: "browser", p_run_ids: [runId] }],
      ["record_ai_run_progress", { p_executor_id: "browser", p_run_id: runId, p_events: [] }],
      ["propose_run_changeset", { p_executor_id: "browser", p_run_id: runId, p_changeset: {} }],
      ["propose_run_action", { p_executor_id: "browser", p_run_id: runId, p_proposal: {} }],
      ["finish_ai_run", { p_executor_id: "browser", p_run_id: runId, p_outcome: "completed", p_summary: "x" }],
      ["requeue_expired_ai_runs", {}],
      ["claim_changeset_rollbacks", { p_executor_id: "browser" }],
      ["finish_changeset_rollback", { p_executor_id: "browser", p_changeset_id: runId, p_ok: true }],
      ["handoff_ai_run", { p_executor_id: "browser", p_run_id: runId, p_to_agent_key: "builder" }],
    ] as const) {
      const { error } = await f.owner.client.rpc(fn, args);
      expect(error?.code, fn).toBe("42501");
    }
    expect((await snapshotRun(sql, runId))?.status).toBe("queued");
  });
});

describe("claim_ai_runs", () => {
  it("claims a run with a lease, gives it its context and starts its task on the board as the agent", async () => {
    await sql.query("insert into public.brain_docs (project_id, doc_type, title, content) values ($1, 'mission', 'Mission', 'Ship it')", [
      f.projectId,
    ]);
    const taskId = await insertTask(sql, f.projectId, {
      title: "Add an index",
      description: "On tasks.status",
      assignee_agent_key: "builder",
    });
    const [queued] = await readTaskRuns(sql, taskId);
    expect(queued).toMatchObject({ status: "queued", origin: "assignment", mode: "implement", goal: "Add an index\n\nOn tasks.status" });
    const { data, error } = await serviceClient().rpc("claim_ai_runs", {
      p_executor_id: "exec-a",
      p_limit: 1,
      p_lease_seconds: 60,
      p_run_id: queued?.id,
    });
    expect(error).toBeNull();
    const claimed = data as Array<{ run: Record<string, unknown>; context: Record<string, unknown> }>;
    expect(claimed).toHaveLength(1);
    expect(claimed[0]?.run).toMatchObject({ id: queued?.id, status: "running", claimed_by: "exec-a", attempts: 1 });
    const lease = Date.parse(String(claimed[0]?.run.lease_expires_at));
    expect(lease - Date.now()).toBeGreaterThan(30_000);

    const context = claimed[0]?.context ?? {};
    expect(Object.keys(context).sort()).toEqual(
      [
        "agent",
        "agent_defaults",
        "agent_docs",
        "budgets_apply",
        "connections",
        "handoff_note",
        "mission",
        "parent",
        "referenced_docs",
        "run",
        "run_settings",
        "skill_gate",
        "task",
        "task_events",
        "thread",
        "thread_messages",
      ].sort(),
    );
    expect(context.run).toMatchObject({ id: queued?.id, status: "running" });
    expect(context.agent).toMatchObject({ agent_key: "builder" });
    expect(context.task).toMatchObject({ id: taskId, status: "in_progress" });
    expect(context.mission).toMatchObject({ content: "Ship it" });
    expect(context.run_settings).toEqual({ test_command: "", test_timeout_seconds: 600, max_iterations: 3, max_steps: 12 });
    // Nothing referenced docs: the run was started by an assignment.
    expect(context.referenced_docs).toEqual([]);
    expect(context.task_events).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: "status_change", author_type: "agent", author_agent_key: "builder" })]),
    );
    expect(context.parent).toBeNull();
    expect(context.handoff_note).toBeNull();
  });

  it("gives a run the skills that withhold tools: those not ready, with why, and none never checked, ready or without tools", async () => {
    const skill = async (key: string, tools: string[], verdict: { status: string; reasons: string[] } | null) => {
      const { rows } = await sql.query<{ id: string }>(
        "insert into public.skills (project_id, key, name, tools) values ($1, $2, $3, $4) returning id",
        [f.projectId, key, `Skill ${key}`, tools],
      );
      const id = rows[0]?.id as string;
      if (verdict) {
        await sql.query(
          "insert into public.skills_mirror (skill_id, project_id, status, reasons, checked_by) values ($1, $2, $3, $4, 'exec-a')",
          [id, f.projectId, verdict.status, verdict.reasons],
        );
      }
    };
    await skill("gate_setup", ["api_call"], { status: "needs_setup", reasons: ["api_allowlist.hosts is empty"] });
    await skill("gate_blocked", ["read_file", "search_text"], { status: "blocked", reasons: ["FOO is not set"] });
    await skill("gate_ready", ["list_files"], { status: "ready", reasons: [] });
    await skill("gate_unchecked", ["hand_off"], null);
    await skill("gate_no_tools", [], { status: "blocked", reasons: ["never offers a tool"] });
    const runId = await runningImplementRun("exec-a");
    const context = await call<{ skill_gate: unknown }>("load_ai_run_context", runId);
    expect(context.skill_gate).toEqual([
      { name: "Skill gate_blocked", status: "blocked", tools: ["read_file", "search_text"], reasons: ["FOO is not set"] },
      { name: "Skill gate_setup", status: "needs_setup", tools: ["api_call"], reasons: ["api_allowlist.hosts is empty"] },
    ]);
    const { error } = await f.owner.client.rpc("read_skill_gate", { p_project_id: f.projectId });
    expect(error?.code).toBe("42501");
    await sql.query("delete from public.skills where project_id = $1 and key like 'gate\\_%'", [f.projectId]);
  });

  it("gives a run to exactly one of 12 executors claiming it at once", async () => {
    const runId = await queueTestRun(sql, f.projectId);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => claimTestRuns(sql, `racer-${i}`, runId, 1)));
    const winners = results.flat();
    expect(winners).toHaveLength(1);
    expect(await snapshotRun(sql, runId)).toMatchObject({ status: "running", attempts: 1, claimed_by: winners[0]?.run.claimed_by });
    expect(await claimTestRuns(sql, "late", runId, 1)).toEqual([]);
  });

  it("fails, instead of claiming, a run whose agent was disabled meanwhile", async () => {
    await insertAgent(sql, f.projectId, "sleepy");
    const runId = await queueTestRun(sql, f.projectId, { agent_key: "sleepy" });
    await sql.query("update public.agents set enabled = false where project_id = $1 and agent_key = 'sleepy'", [f.projectId]);
    expect(await claimTestRuns(sql, "exec-a", runId, 1)).toEqual([]);
    expect(await snapshotRun(sql, runId)).toMatchObject({
      status: "failed",
      error: "@sleepy is disabled: enable it on the Agents page and start the run again",
    });
  });

  it("refuses a claim without an executor id", async () => {
    await expect(call("claim_ai_runs", " ", 1, 30, null)).rejects.toMatchObject({ code: "22023" });
  });
});

describe("heartbeat_ai_runs", () => {
  it("extends the leases it still holds and names the runs it must abort", async () => {
    const mine = await runningImplementRun("exec-hb");
    const cancelled = await runningImplementRun("exec-hb");
    const theirs = await runningImplementRun("exec-other");
    const unknown = crypto.randomUUID();
    await sql.query("select public.stop_ai_run($1, null, null)", [cancelled]);
    await sql.query("update public.ai_runs set lease_expires_at = now() + interval '1 second' where id = $1", [mine]);
    const { data, error } = await serviceClient().rpc("heartbeat_ai_runs", {
      p_executor_id: "exec-hb",
      p_run_ids: [mine, cancelled, theirs, unknown],
      p_lease_seconds: 120,
    });
    expect(error).toBeNull();
    expect([...(data as string[])].sort()).toEqual([cancelled, theirs, unknown].sort());
    const run = await readRun(sql, mine);
    expect(Date.parse(String(run?.lease_expires_at)) - Date.now()).toBeGreaterThan(60_000);
    expect(run?.heartbeat_at).not.toBeNull();
  });
});

describe("record_ai_run_progress", () => {
  it("appends the events in order and adds up the usage", async () => {
    const runId = await runningImplementRun("exec-p");
    const long = "x".repeat(600);
    const answer = await call<{ run: Record<string, unknown>; event_ids: string[] }>(
      "record_ai_run_progress",
      "exec-p",
      runId,
      JSON.stringify([
        { kind: "read_file", summary: "Read src/a.ts", data: { path: "src/a.ts", bytes: 10, lines: 2 } },
        { kind: "message", summary: long },
      ]),
      {
        current_step: "Reading",
        step_count: 1,
        input_tokens_delta: 100,
        output_tokens_delta: 20,
        cost_usd_delta: 0.5,
        settings: { model: "m" },
      },
    );
    expect(answer.event_ids).toHaveLength(2);
    await call("record_ai_run_progress", "exec-p", runId, "[]", { step_count: 2, input_tokens_delta: 50, cost_usd_delta: 0.25 });
    expect(await readRun(sql, runId)).toMatchObject({
      current_step: "Reading",
      step_count: 2,
      input_tokens: 150,
      output_tokens: 20,
      cost_usd: 0.75,
      settings: { model: "m" },
    });
    const events = (await readRunEvents(sql, runId)).filter((e) => e.kind !== "status");
    expect(events.map((e) => e.kind)).toEqual(["read_file", "message"]);
    expect(events[0]).toMatchObject({ agent_key: "builder", data: { path: "src/a.ts", bytes: 10, lines: 2 } });
    expect(events[1]?.summary).toHaveLength(500);
  });

  it.each([
    ["an unknown event kind", [{ kind: "shout", summary: "x" }], {}],
    ["an event without a summary", [{ kind: "message", summary: "  " }], {}],
    ["event data that is not an object", [{ kind: "message", summary: "x", data: [1] }], {}],
    ["an unknown progress field", [], { tokens: 1 }],
    ["negative tokens", [], { input_tokens_delta: -1 }],
    ["a fractional step count", [], { step_count: 1.5 }],
  ])("refuses %s with 22023 and records nothing", async (_what, events, progress) => {
    const runId = await runningImplementRun("exec-p");
    const before = await readRunEvents(sql, runId);
    await expect(call("record_ai_run_progress", "exec-p", runId, JSON.stringify(events), progress)).rejects.toMatchObject({
      code: "22023",
    });
    expect(await readRunEvents(sql, runId)).toEqual(before);
  });

  it("refuses another executor's run with PT409", async () => {
    const runId = await runningImplementRun("exec-owner");
    await expect(call("record_ai_run_progress", "exec-thief", runId, "[]", {})).rejects.toMatchObject({
      code: "PT409",
      message: `Run ${runId} is running under executor exec-owner, not exec-thief`,
    });
  });
});

describe("a cancelled run", () => {
  it("refuses every later write of its executor, and the heartbeat tells the executor to abort", async () => {
    const runId = await runningImplementRun("exec-c");
    const { error } = await f.operator.client.rpc("cancel_ai_run", { p_run_id: runId });
    expect(error).toBeNull();
    const cancelledAt = await snapshotRun(sql, runId);
    expect(cancelledAt?.status).toBe("cancelled");

    await expect(
      call("record_ai_run_progress", "exec-c", runId, JSON.stringify([{ kind: "message", summary: "still here" }]), {}),
    ).rejects.toMatchObject({ code: "PT409", message: `Run ${runId} is cancelled` });
    await expect(proposeTestChangeset(sql, "exec-c", runId, [changesetFile("a.txt", null, "a")])).rejects.toMatchObject({ code: "PT409" });
    await expect(
      call("propose_run_action", "exec-c", runId, {
        action_type: "create_task",
        params: { title: "late" },
        risk: "low",
        reversibility: "reversible",
      }),
    ).rejects.toMatchObject({ code: "PT409" });
    expect(await call("heartbeat_ai_runs", "exec-c", [runId], 30)).toEqual([runId]);
    const finished = await call<Record<string, unknown>>("finish_ai_run", "exec-c", runId, "completed", "done anyway", null, null);
    expect(finished).toMatchObject({ status: "cancelled" });
    expect(await snapshotRun(sql, runId)).toEqual(cancelledAt);
    const { rows } = await sql.query("select count(*)::int as c from public.changesets where run_id = $1", [runId]);
    expect(rows[0]?.c).toBe(0);
    expect((await readRunEvents(sql, runId)).map((e) => e.summary)).not.toContain("still here");
  });
});

describe("propose_run_changeset", () => {
  it("records the changeset, its files and its approval, and waits for it", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Changeset task" });
    const runId = await runningImplementRun("exec-cs", { task_id: taskId });
    const files = [
      changesetFile("src/a.ts", "one\ntwo", "one\n2\nthree"),
      changesetFile("docs/new.md", null, "# New"),
      changesetFile("old.txt", "bye", null),
    ];
    const ids = await proposeTestChangeset(sql, "exec-cs", runId, files, { summary: "Three files", risk: "medium" });

    const { rows: changesets } = await sql.query("select * from public.changesets where id = $1", [ids.changeset_id]);
    expect(changesets[0]).toMatchObject({
      run_id: runId,
      task_id: taskId,
      agent_key: "builder",
      proposal_id: ids.proposal_id,
      summary: "Three files",
      risk: "medium",
      status: "proposed",
      files_count: 3,
      additions: 4,
      deletions: 3,
    });
    const { rows: stored } = await sql.query(
      "select position, path, change_kind, decision from public.changeset_files where changeset_id = $1 order by position",
      [ids.changeset_id],
    );
    expect(stored).toEqual([
      { position: 0, path: "src/a.ts", change_kind: "modify", decision: "pending" },
      { position: 1, path: "docs/new.md", change_kind: "add", decision: "pending" },
      { position: 2, path: "old.txt", change_kind: "delete", decision: "pending" },
    ]);
    const { rows: proposals } = await sql.query("select * from public.action_proposals where id = $1", [ids.proposal_id]);
    expect(proposals[0]).toMatchObject({
      action_type: "apply_changeset",
      params: { changeset_id: ids.changeset_id, paths: ["src/a.ts", "docs/new.md", "old.txt"] },
      status: "proposed",
      risk: "medium",
      reversibility: "reversible",
      rollback_plan: "Rollback restores every file's previous content",
      proposed_by_agent_key: "builder",
      task_id: taskId,
      run_id: runId,
    });
    const { rows: cards } = await sql.query("select kind from public.task_events where proposal_id = $1", [ids.proposal_id]);
    expect(cards).toEqual([{ kind: "approval_request" }]);
    expect((await snapshotRun(sql, runId))?.status).toBe("needs_approval");
    const events = await readRunEvents(sql, runId);
    expect(events.slice(-3).map((e) => [e.kind, e.data.to ?? e.data.proposal_id])).toEqual([
      ["status", "needs_approval"],
      ["propose_changeset", ids.proposal_id],
      ["needs_approval", ids.proposal_id],
    ]);

    expect(await proposeTestChangeset(sql, "exec-cs", runId, files)).toEqual(ids);
  });

  it.each([
    ["no files", []],
    ["a path listed twice", [changesetFile("a.txt", null, "a"), changesetFile("a.txt", null, "b")]],
    ["a path that leaves the workspace", [changesetFile("../a.txt", null, "a")]],
    ["a path in the executor's state", [changesetFile(".mission-control/journal", null, "a")]],
    ["an add with a base", [{ ...changesetFile("a.txt", null, "a"), base_sha256: "0".repeat(64), base_content: "" }]],
    ["a modify without its base content", [{ ...changesetFile("a.txt", "a", "b"), base_content: null }]],
    ["an unknown change kind", [{ ...changesetFile("a.txt", "a", "b"), change_kind: "rename" }]],
    ["a sha that is not hex", [{ ...changesetFile("a.txt", "a", "b"), new_sha256: "Z".repeat(64) }]],
    ["51 files", Array.from({ length: 51 }, (_, i) => changesetFile(`f${i}.txt`, null, "x"))],
  ])("refuses %s with 22023 and leaves the run running", async (_what, files) => {
    const runId = await runningImplementRun("exec-bad");
    await expect(proposeTestChangeset(sql, "exec-bad", runId, files)).rejects.toMatchObject({ code: "22023" });
    expect((await snapshotRun(sql, runId))?.status).toBe("running");
  });

  it("refuses a changeset from a plan run with PT409", async () => {
    const runId = await runInStatus(sql, f.projectId, "running", { mode: "plan" }, "exec-plan");
    await expect(proposeTestChangeset(sql, "exec-plan", runId, [changesetFile("a.txt", null, "a")])).rejects.toMatchObject({
      code: "PT409",
    });
  });

  it("refuses a changeset from an agent whose profile does not enable apply_changeset", async () => {
    await insertAgent(sql, f.projectId, "reader");
    const runId = await runInStatus(sql, f.projectId, "running", { mode: "implement", agent_key: "reader" }, "exec-r");
    await expect(proposeTestChangeset(sql, "exec-r", runId, [changesetFile("a.txt", null, "a")])).rejects.toMatchObject({
      code: "23514",
      message: expect.stringContaining("@reader may not use apply_changeset"),
    });
    expect((await snapshotRun(sql, runId))?.status).toBe("running");
  });
});

describe("propose_run_action", () => {
  it("inserts the action with the run's task and a tool_call event, once per id", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Action task" });
    const runId = await runInStatus(sql, f.projectId, "running", { task_id: taskId }, "exec-act");
    const id = crypto.randomUUID();
    const proposal = {
      id,
      action_type: "create_task",
      params: { title: "Follow-up" },
      summary: "Create a follow-up",
      risk: "low",
      reversibility: "reversible",
    };
    expect(await call("propose_run_action", "exec-act", runId, proposal)).toEqual({ proposal_id: id });
    expect(await call("propose_run_action", "exec-act", runId, proposal)).toEqual({ proposal_id: id });
    const { rows } = await sql.query("select action_type, run_id, task_id, status from public.action_proposals where id = $1", [id]);
    expect(rows).toEqual([{ action_type: "create_task", run_id: runId, task_id: taskId, status: "proposed" }]);
    const calls = (await readRunEvents(sql, runId)).filter((e) => e.kind === "tool_call");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.data).toMatchObject({ tool: "create_task", arguments: { title: "Follow-up" }, ok: true, proposal_id: id });
    expect((await snapshotRun(sql, runId))?.status).toBe("running");
  });

  it.each([
    ["an apply_changeset", { action_type: "apply_changeset", params: {}, risk: "low", reversibility: "reversible" }],
    ["an unknown action", { action_type: "rm_rf", params: {}, risk: "low", reversibility: "reversible" }],
    ["an unknown risk", { action_type: "create_task", params: { title: "x" }, risk: "huge", reversibility: "reversible" }],
    ["params that are not an object", { action_type: "create_task", params: "x", risk: "low", reversibility: "reversible" }],
  ])("refuses %s with 22023", async (_what, proposal) => {
    const runId = await runInStatus(sql, f.projectId, "running", {}, "exec-act2");
    await expect(call("propose_run_action", "exec-act2", runId, proposal)).rejects.toMatchObject({ code: "22023" });
  });
});

describe("finish_ai_run", () => {
  it("completes a run with nothing open, and answers the same on a retry", async () => {
    const runId = await runInStatus(sql, f.projectId, "running", {}, "exec-f");
    const done = await call<Record<string, unknown>>("finish_ai_run", "exec-f", runId, "completed", "1. Plan\n2. Do", null, null);
    expect(done).toMatchObject({ status: "completed", result_summary: "1. Plan\n2. Do" });
    const again = await call<Record<string, unknown>>("finish_ai_run", "exec-f", runId, "failed", "other", "late", null);
    expect(again).toMatchObject({ status: "completed", result_summary: "1. Plan\n2. Do", seq: done.seq });
  });

  it("waits for approval when a proposal of the run is still open", async () => {
    const runId = await runInStatus(sql, f.projectId, "running", {}, "exec-f2");
    await call("propose_run_action", "exec-f2", runId, {
      action_type: "create_task",
      params: { title: "later" },
      risk: "low",
      reversibility: "reversible",
    });
    const answer = await call<Record<string, unknown>>("finish_ai_run", "exec-f2", runId, "completed", "Proposed a task", null, null);
    expect(answer).toMatchObject({ status: "needs_approval", result_summary: "Proposed a task" });
  });

  it("fails a run with the executor's error, or a sentence when it gave none", async () => {
    const runId = await runInStatus(sql, f.projectId, "running", {}, "exec-f3");
    expect(await call("finish_ai_run", "exec-f3", runId, "failed", "", "provider answered 500", null)).toMatchObject({
      status: "failed",
      error: "provider answered 500",
    });
    const silent = await runInStatus(sql, f.projectId, "running", {}, "exec-f3");
    expect(await call("finish_ai_run", "exec-f3", silent, "failed", "", null, null)).toMatchObject({
      error: "failed without an error message",
    });
  });

  it("refuses an unknown outcome (22023) and another executor's run (PT409)", async () => {
    const runId = await runInStatus(sql, f.projectId, "running", {}, "exec-f4");
    await expect(call("finish_ai_run", "exec-f4", runId, "done", "x", null, null)).rejects.toMatchObject({ code: "22023" });
    await expect(call("finish_ai_run", "exec-thief", runId, "completed", "x", null, null)).rejects.toMatchObject({ code: "PT409" });
    const queued = await queueTestRun(sql, f.projectId);
    await expect(call("finish_ai_run", "exec-f4", queued, "completed", "x", null, null)).rejects.toMatchObject({ code: "PT409" });
    expect((await snapshotRun(sql, runId))?.status).toBe("running");
  });
});

describe("handoff_ai_run", () => {
  it("ends the run with a handoff event and gives its task to the next agent with the note", async () => {
    await insertAgent(sql, f.projectId, "next");
    const taskId = await insertTask(sql, f.projectId, { title: "Pass it on", assignee_agent_key: "builder" });
    const [run] = await readTaskRuns(sql, taskId);
    await claimTestRuns(sql, "exec-ho", run?.id ?? null, 1);
    const next = await call<Record<string, unknown>>("handoff_ai_run", "exec-ho", run?.id, "next", "the SQL part is done");
    expect(next).toMatchObject({
      agent_key: "next",
      origin: "handoff",
      status: "queued",
      task_id: taskId,
      constraints: "Hand-off note from @builder: the SQL part is done",
      participants: ["builder", "next"],
    });
    expect(await snapshotRun(sql, run?.id ?? "")).toMatchObject({
      status: "completed",
      result_summary: "Handed off to @next: the SQL part is done",
    });
    expect((await readRunEvents(sql, run?.id ?? "")).find((e) => e.kind === "handoff")?.data).toEqual({
      from: "builder",
      to: "next",
      note: "the SQL part is done",
    });
    const { rows } = await sql.query("select assignee_agent_key from public.tasks where id = $1", [taskId]);
    expect(rows[0]?.assignee_agent_key).toBe("next");
    expect((await readTaskRuns(sql, taskId)).map((r) => [r.agent_key, r.status])).toEqual([
      ["builder", "completed"],
      ["next", "queued"],
    ]);
  });

  it("queues a run of the same mode in the same thread when the run has no task", async () => {
    const { rows } = await sql.query<{ id: string }>(
      "insert into public.project_chat_threads (project_id, kind, thread_key) values ($1, 'team_room', 'team-room') returning id",
      [f.projectId],
    );
    const runId = await runInStatus(sql, f.projectId, "running", { mode: "plan", thread_id: rows[0]?.id, goal: "Plan it" }, "exec-ho2");
    const next = await call<Record<string, unknown>>("handoff_ai_run", "exec-ho2", runId, "next", "");
    expect(next).toMatchObject({
      agent_key: "next",
      mode: "plan",
      goal: "Plan it",
      thread_id: rows[0]?.id,
      constraints: "",
      participants: ["builder", "next"],
    });
  });

  it("refuses handing to itself or an unknown agent, and a run it does not hold", async () => {
    const runId = await runInStatus(sql, f.projectId, "running", {}, "exec-ho3");
    await expect(call("handoff_ai_run", "exec-ho3", runId, "builder", "")).rejects.toMatchObject({ code: "22023" });
    await expect(call("handoff_ai_run", "exec-ho3", runId, "ghost", "")).rejects.toMatchObject({ code: "PT404" });
    await expect(call("handoff_ai_run", "exec-other", runId, "next", "")).rejects.toMatchObject({ code: "PT409" });
    expect((await snapshotRun(sql, runId))?.status).toBe("running");
  });
});
