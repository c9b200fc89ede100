import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import {
  changesetFile,
  claimTestRuns,
  proposeTestChangeset,
  readRun,
  readRunEvents,
  readTaskRuns,
  runInStatus,
  setRunSettings,
  snapshotRun,
} from "../../testing/run-fixtures.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("changeset-flow");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

const FILES = () => [
  changesetFile("CHANGELOG.md", "# Changelog\n", "# Changelog\n\n## 1.2\n- Runs\n"),
  changesetFile("src/runs.ts", null, "export const runs = true;\n"),
  changesetFile("src/legacy.ts", "old\n", null),
];

async function taskStatus(taskId: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ status: string }>("select status from public.tasks where id = $1", [taskId]);
  return rows[0]?.status;
}

async function changeset(id: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await sql.query<{ c: Record<string, unknown> }>("select to_jsonb(c) as c from public.changesets c where id = $1", [id]);
  return rows[0]?.c;
}

async function decisions(changesetId: string): Promise<Record<string, string>> {
  const { rows } = await sql.query<{ path: string; decision: string }>(
    "select path, decision from public.changeset_files where changeset_id = $1 order by position",
    [changesetId],
  );
  return Object.fromEntries(rows.map((r) => [r.path, r.decision]));
}

async function approve(proposalId: string, paths?: string[], changesetId?: string) {
  return f.operator.client.rpc("resolve_action_proposal", {
    p_proposal_id: proposalId,
    p_decision: "approve",
    p_comment: paths ? "only some files" : null,
    p_params: paths ? { changeset_id: changesetId, paths } : null,
  });
}

/** The executor applies an approved proposal: claims it and records the outcome. */
async function execute(proposalId: string, ok: boolean, result: unknown, error: string | null = null): Promise<void> {
  const executor = `applier-${crypto.randomUUID().slice(0, 6)}`;
  const { rows } = await sql.query("select id from public.claim_approved_proposals($1, 1, $2)", [executor, proposalId]);
  expect(rows).toHaveLength(1);
  await sql.query("select public.finish_action_proposal($1, $2, $3, $4, $5)", [proposalId, executor, ok, JSON.stringify(result), error]);
}

/** The queued runs of a task with this origin. */
async function queuedRuns(taskId: string, origin: string) {
  return (await readTaskRuns(sql, taskId)).filter((r) => r.origin === origin && r.status === "queued");
}

async function finishTests(executor: string, runId: string, passed: boolean) {
  const test = {
    command: "npm test",
    exit_code: passed ? 0 : 1,
    passed,
    duration_ms: 1200,
    timed_out: false,
    output_tail: passed ? "ok" : "FAIL runs.test.ts",
  };
  const { rows } = await sql.query<{ run: Record<string, unknown> }>(
    "select to_jsonb(public.finish_ai_run($1, $2, $3, $4, null, $5)) as run",
    [executor, runId, passed ? "completed" : "failed", passed ? "Tests passed" : "Tests failed", JSON.stringify(test)],
  );
  return rows[0]?.run;
}

describe("from assignment to an applied changeset", () => {
  it("takes the task through in_progress to review, applying only the accepted files, then tests them", async () => {
    await setRunSettings(sql, f.projectId, { test_command: "npm test", max_iterations: 2 });
    const taskId = await insertTask(sql, f.projectId, { title: "Add a CHANGELOG entry", assignee_agent_key: "builder" });
    const [run] = await readTaskRuns(sql, taskId);
    expect(await taskStatus(taskId)).toBe("inbox");
    await claimTestRuns(sql, "exec-flow", run?.id ?? null, 1);
    expect(await taskStatus(taskId)).toBe("in_progress");

    const ids = await proposeTestChangeset(sql, "exec-flow", run?.id ?? "", FILES());
    const wrong = await approve(ids.proposal_id, ["CHANGELOG.md", "README.md"], ids.changeset_id);
    expect(wrong.error?.code).toBe("22023");
    expect(wrong.error?.message).toBe(`An approval of changeset ${ids.changeset_id} lists files that are not in it`);

    const partial = await approve(ids.proposal_id, ["CHANGELOG.md", "src/runs.ts"], ids.changeset_id);
    expect(partial.error).toBeNull();
    expect(await decisions(ids.changeset_id)).toEqual({
      "CHANGELOG.md": "accepted",
      "src/runs.ts": "accepted",
      "src/legacy.ts": "rejected",
    });
    expect(await changeset(ids.changeset_id)).toMatchObject({ status: "proposed" });
    expect((await snapshotRun(sql, run?.id ?? ""))?.status).toBe("needs_approval");

    await execute(ids.proposal_id, true, { paths: ["CHANGELOG.md", "src/runs.ts"] });
    expect(await changeset(ids.changeset_id)).toMatchObject({ status: "applied", applied_paths: ["CHANGELOG.md", "src/runs.ts"] });
    expect(await taskStatus(taskId)).toBe("review");
    const { rows: moves } = await sql.query(
      "select author_type, author_agent_key, metadata from public.task_events where task_id = $1 and kind = 'status_change' order by seq",
      [taskId],
    );
    expect(moves.map((m) => [m.author_agent_key, m.metadata.to])).toEqual([
      ["builder", "in_progress"],
      ["builder", "review"],
    ]);
    expect(await snapshotRun(sql, run?.id ?? "")).toMatchObject({
      status: "completed",
      result_summary: "Changeset applied (2 of 3 files)",
    });

    const [testRun] = await queuedRuns(taskId, "test_after_apply");
    expect(testRun).toMatchObject({ mode: "test", agent_key: "builder", parent_run_id: run?.id, iteration: 1, task_id: taskId });
    const { rows: deliveries } = await sql.query(
      "select count(*)::int as c from public.project_chat_messages where project_id = $1 and metadata ->> 'proposal_id' = $2 and author_type = 'system'",
      [f.projectId, ids.proposal_id],
    );
    expect(deliveries[0]?.c).toBe(0);

    // A test run that fails sends the work back to the implementer with the output...
    const [claimedTest] = await claimTestRuns(sql, "exec-test", testRun?.id ?? null, 1);
    expect(claimedTest?.context.parent).toMatchObject({
      run: { id: run?.id },
      changeset: { id: ids.changeset_id, status: "applied" },
      files: [{ path: "CHANGELOG.md" }, { path: "src/runs.ts" }, { path: "src/legacy.ts" }],
      reviews: [],
    });
    await finishTests("exec-test", testRun?.id ?? "", false);
    expect((await readRunEvents(sql, testRun?.id ?? "")).find((e) => e.kind === "test_result")).toMatchObject({
      summary: "Tests failed: npm test (exit code 1)",
      data: { passed: false, exit_code: 1, output_tail: "FAIL runs.test.ts" },
    });
    const [revision] = await queuedRuns(taskId, "revision");
    expect(revision).toMatchObject({ mode: "implement", iteration: 2, parent_run_id: run?.id, agent_key: "builder", goal: run?.goal });
    expect(revision?.constraints).toBe(
      "The tests failed after your changeset was applied (iteration 1 of 2): npm test exited with code 1.\nFix the code so they pass.\nOutput (tail):\nFAIL runs.test.ts",
    );

    // ...which fixes, gets applied and tested again: at the cap it goes to the operator.
    const [claimedFix] = await claimTestRuns(sql, "exec-fix", revision?.id ?? null, 1);
    expect(claimedFix?.context.parent).toMatchObject({ test_result: { passed: false, output_tail: "FAIL runs.test.ts" } });
    const fix = await proposeTestChangeset(sql, "exec-fix", revision?.id ?? "", [
      changesetFile("src/runs.ts", "export const runs = true;\n", "export const runs = 1;\n"),
    ]);
    await approve(fix.proposal_id);
    await execute(fix.proposal_id, true, { paths: ["src/runs.ts"] });
    const [secondTest] = await queuedRuns(taskId, "test_after_apply");
    expect(secondTest).toMatchObject({ parent_run_id: revision?.id, iteration: 2 });
    await claimTestRuns(sql, "exec-test", secondTest?.id ?? null, 1);
    await finishTests("exec-test", secondTest?.id ?? "", false);
    expect(await queuedRuns(taskId, "revision")).toEqual([]);
    expect((await readRunEvents(sql, secondTest?.id ?? "")).find((e) => e.kind === "handoff")).toMatchObject({
      summary: "Handed off to the operator: npm test exited with code 1 after 2 iterations",
      data: { from: "builder", to: "operator" },
    });
    const { rows: notes } = await sql.query<{ content: string; author_type: string }>(
      "select content, author_type from public.task_events where task_id = $1 and kind = 'comment' order by seq",
      [taskId],
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]?.author_type).toBe("system");
    expect(notes[0]?.content).toMatch(
      /^The tests still fail after 2 iterations of @builder: npm test exited with code 1\. An operator needs to take over/,
    );
    const total = await readTaskRuns(sql, taskId);
    expect(total.map((r) => [r.mode, r.origin, r.status])).toEqual([
      ["implement", "assignment", "completed"],
      ["test", "test_after_apply", "failed"],
      ["implement", "revision", "completed"],
      ["test", "test_after_apply", "failed"],
    ]);
    await setRunSettings(sql, f.projectId, {});
  });

  it("ends the loop when the tests pass", async () => {
    await setRunSettings(sql, f.projectId, { test_command: "npm test" });
    const taskId = await insertTask(sql, f.projectId, { title: "Green", assignee_agent_key: "builder" });
    const [run] = await readTaskRuns(sql, taskId);
    await claimTestRuns(sql, "exec-green", run?.id ?? null, 1);
    const ids = await proposeTestChangeset(sql, "exec-green", run?.id ?? "", [changesetFile("a.txt", null, "a")]);
    await approve(ids.proposal_id);
    await execute(ids.proposal_id, true, { paths: ["a.txt"] });
    const [testRun] = await queuedRuns(taskId, "test_after_apply");
    await claimTestRuns(sql, "exec-green", testRun?.id ?? null, 1);
    expect(await finishTests("exec-green", testRun?.id ?? "", true)).toMatchObject({ status: "completed" });
    expect((await readTaskRuns(sql, taskId)).map((r) => r.status)).toEqual(["completed", "completed"]);
    await setRunSettings(sql, f.projectId, {});
  });

  it("queues no test run when the project has no test command", async () => {
    const taskId = await insertTask(sql, f.projectId, { title: "Untested", assignee_agent_key: "builder" });
    const [run] = await readTaskRuns(sql, taskId);
    await claimTestRuns(sql, "exec-untested", run?.id ?? null, 1);
    const ids = await proposeTestChangeset(sql, "exec-untested", run?.id ?? "", [changesetFile("b.txt", null, "b")]);
    await approve(ids.proposal_id);
    await execute(ids.proposal_id, true, { paths: ["b.txt"] });
    expect((await readTaskRuns(sql, taskId)).map((r) => [r.mode, r.status])).toEqual([["implement", "completed"]]);
  });
});

describe("a changeset that is not applied", () => {
  it("is rejected with all its files when its proposal is rejected, and the run completes", async () => {
    const runId = await runInStatus(sql, f.projectId, "running", { mode: "implement" }, "exec-rej");
    const ids = await proposeTestChangeset(sql, "exec-rej", runId, FILES());
    await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: ids.proposal_id, p_decision: "reject", p_comment: "Not now" });
    expect(await changeset(ids.changeset_id)).toMatchObject({ status: "rejected" });
    expect(Object.values(await decisions(ids.changeset_id))).toEqual(["rejected", "rejected", "rejected"]);
    expect(await snapshotRun(sql, runId)).toMatchObject({ status: "completed", result_summary: "Changeset rejected" });
  });

  it("fails with the executor's error when the apply fails, and nothing is tested", async () => {
    await setRunSettings(sql, f.projectId, { test_command: "npm test" });
    const taskId = await insertTask(sql, f.projectId, { title: "Conflict", assignee_agent_key: "builder" });
    const [run] = await readTaskRuns(sql, taskId);
    await claimTestRuns(sql, "exec-fail", run?.id ?? null, 1);
    const ids = await proposeTestChangeset(sql, "exec-fail", run?.id ?? "", FILES());
    await approve(ids.proposal_id);
    await execute(ids.proposal_id, false, null, "file changed since the proposal: CHANGELOG.md");
    expect(await changeset(ids.changeset_id)).toMatchObject({ status: "failed", error: "file changed since the proposal: CHANGELOG.md" });
    expect(await snapshotRun(sql, run?.id ?? "")).toMatchObject({
      status: "completed",
      result_summary: "Changeset not applied: file changed since the proposal: CHANGELOG.md",
    });
    expect(await taskStatus(taskId)).toBe("in_progress");
    expect((await readTaskRuns(sql, taskId)).map((r) => r.mode)).toEqual(["implement"]);
    await setRunSettings(sql, f.projectId, {});
  });
});

describe("rolling an applied changeset back", () => {
  async function appliedChangeset(): Promise<{ runId: string; changesetId: string }> {
    const runId = await runInStatus(sql, f.projectId, "running", { mode: "implement" }, "exec-rb");
    const ids = await proposeTestChangeset(sql, "exec-rb", runId, FILES());
    await approve(ids.proposal_id, ["CHANGELOG.md", "src/legacy.ts"], ids.changeset_id);
    await execute(ids.proposal_id, true, { paths: ["CHANGELOG.md", "src/legacy.ts"] });
    await f.operator.client.rpc("request_changeset_rollback", { p_changeset_id: ids.changeset_id });
    return { runId, changesetId: ids.changeset_id };
  }

  async function claimRollbacks(executor: string): Promise<Array<{ changeset: { id: string }; files: Array<{ path: string }> }>> {
    const { rows } = await sql.query("select public.claim_changeset_rollbacks($1, 50) as claimed", [executor]);
    return rows[0]?.claimed ?? [];
  }

  it("gives the rollback to one executor with the applied files, and records it", async () => {
    const { runId, changesetId } = await appliedChangeset();
    const claimed = (await claimRollbacks("exec-undo")).filter((c) => c.changeset.id === changesetId);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]?.files.map((file) => file.path)).toEqual(["CHANGELOG.md", "src/legacy.ts"]);
    expect((await claimRollbacks("exec-other")).filter((c) => c.changeset.id === changesetId)).toEqual([]);
    await expect(sql.query("select public.finish_changeset_rollback('exec-other', $1, true)", [changesetId])).rejects.toMatchObject({
      code: "PT409",
    });

    await sql.query("select public.finish_changeset_rollback('exec-undo', $1, true)", [changesetId]);
    expect(await changeset(changesetId)).toMatchObject({ status: "rolled_back", rolled_back_by: f.operator.userId });
    await sql.query("select public.finish_changeset_rollback('exec-undo', $1, true)", [changesetId]);
    expect((await readRunEvents(sql, runId)).at(-1)).toMatchObject({
      kind: "status",
      summary: "Rolled back 2 files",
      data: { from: "applied", to: "rolled_back", changeset_id: changesetId },
    });
  });

  it("keeps the changeset applied with the error when the rollback fails, so it can be asked again", async () => {
    const { runId, changesetId } = await appliedChangeset();
    await claimRollbacks("exec-undo2");
    await sql.query("select public.finish_changeset_rollback('exec-undo2', $1, false, 'CHANGELOG.md changed since the apply')", [
      changesetId,
    ]);
    expect(await changeset(changesetId)).toMatchObject({
      status: "applied",
      error: "CHANGELOG.md changed since the apply",
      rollback_requested_at: null,
      rollback_claimed_by: null,
    });
    expect((await readRunEvents(sql, runId)).at(-1)).toMatchObject({
      kind: "error",
      summary: "Rollback failed: CHANGELOG.md changed since the apply",
    });
    const again = await f.operator.client.rpc("request_changeset_rollback", { p_changeset_id: changesetId });
    expect(again.data).toMatchObject({ status: "applied", error: null });
    expect(again.data?.rollback_requested_at).not.toBeNull();
  });

  it("lets another executor take over a rollback claimed more than 5 minutes ago", async () => {
    const { changesetId } = await appliedChangeset();
    await claimRollbacks("exec-dead");
    expect((await claimRollbacks("exec-alive")).filter((c) => c.changeset.id === changesetId)).toEqual([]);
    await sql.query("update public.changesets set rollback_claimed_at = now() - interval '6 minutes' where id = $1", [changesetId]);
    expect((await claimRollbacks("exec-alive")).filter((c) => c.changeset.id === changesetId)).toHaveLength(1);
    expect(await changeset(changesetId)).toMatchObject({ rollback_claimed_by: "exec-alive" });
  });
});

describe("a test run on its own", () => {
  it("records its test result once, from finish_ai_run when the executor did not", async () => {
    const runId = await runInStatus(sql, f.projectId, "running", { mode: "test" }, "exec-solo");
    await finishTests("exec-solo", runId, true);
    const results = (await readRunEvents(sql, runId)).filter((e) => e.kind === "test_result");
    expect(results).toHaveLength(1);
    expect(results[0]?.summary).toBe("Tests passed: npm test (exit code 0)");
    expect(await readRun(sql, runId)).toMatchObject({ status: "completed", result_summary: "Tests passed" });
  });
});
