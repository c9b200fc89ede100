import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAiTools, type TFakeToolServer } from "../providers/testing/index.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";

let project: TTestProject;
let executor: TExecutor;
let workspace: string;
let releaseLock: () => Promise<void>;
let hanging: TFakeToolServer;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("runs", [
    { agent_key: "builder", display_name: "Builder", capabilities: ["docs"] },
    { agent_key: "reviewer", display_name: "Reviewer", capabilities: ["review"] },
    { agent_key: "slowpoke", display_name: "Slowpoke", capabilities: [], provider: "openai_compatible", model: "fake-slow" },
    { agent_key: "relay", display_name: "Relay", capabilities: [], provider: "openai_compatible", model: "fake-relay" },
    { agent_key: "gated", display_name: "Gated", capabilities: [], provider: "openai_compatible", model: "fake-gated" },
  ]);
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-runs-"));
  // @relay's model hands every run to @reviewer; @gated's answers at once; @slowpoke's never answers
  // (its runs are only ever cancelled).
  hanging = await startFakeOpenAiTools((request) => {
    const body = JSON.stringify(request.body);
    if (body.includes("You are Relay")) {
      return {
        text: "Reviewing is not mine.",
        toolCalls: [{ name: "hand_off", arguments: { to_agent_key: "reviewer", note: "Please check the docs folder." } }],
      };
    }
    return body.includes("You are Gated") ? { text: "Nothing to read here." } : { hang: true };
  });
  executor = await startTestExecutor(
    { WORKSPACE_DIR: workspace, RUN_PROJECT_IDS: project.projectId, RUN_HEARTBEAT_MS: "500" },
    { providers: { openai_compatible: { kind: "openai_compatible", baseUrl: hanging.baseUrl, apiKey: "sk-test" } } },
  );
});

afterAll(async () => {
  await executor?.stop();
  await hanging?.close();
  await project?.remove();
  await fs.rm(workspace, { recursive: true, force: true });
  await releaseLock?.();
});

async function runsOfTask(taskId: string) {
  const { data, error } = await project.db.from("ai_runs").select("*").eq("task_id", taskId).order("created_at");
  if (error) throw new Error(error.message);
  return data;
}

async function waitForRun(
  what: string,
  taskId: string,
  check: (runs: Awaited<ReturnType<typeof runsOfTask>>) => boolean,
  timeoutMs = 15_000,
) {
  return waitFor(
    what,
    async () => {
      const runs = await runsOfTask(taskId);
      return check(runs) ? runs : undefined;
    },
    timeoutMs,
  );
}

async function insertAssignedTask(title: string, assignee: string): Promise<string> {
  const { data, error } = await project.db
    .from("tasks")
    .insert({ project_id: project.projectId, title, assignee_agent_key: assignee, status: "assigned" })
    .select("id")
    .single();
  if (error) throw new Error(error.message);
  return data.id;
}

async function updatesOf(taskId: string): Promise<string[]> {
  const { data, error } = await project.db
    .from("task_events")
    .select("content")
    .eq("task_id", taskId)
    .eq("kind", "agent_update")
    .order("created_at");
  if (error) throw new Error(error.message);
  return data.map((row) => row.content);
}

async function setTestCommand(command: string): Promise<void> {
  const { error } = await project.db
    .from("project_settings")
    .upsert({ project_id: project.projectId, key: "runs", value: { test_command: command } }, { onConflict: "project_id,key" });
  if (error) throw new Error(error.message);
}

describe("run worker", () => {
  it("works an assigned task: a changeset of real diffs, a partial approval applies only the accepted files, the tests run, a rollback restores", async () => {
    await fs.mkdir(path.join(workspace, "docs"), { recursive: true });
    await fs.writeFile(path.join(workspace, "docs/beta.md"), "old beta\r\nkept as it was\r\n");
    await fs.writeFile(
      path.join(workspace, "check.mjs"),
      "import fs from 'node:fs'; process.exit(fs.existsSync('docs/alpha.md') ? 0 : 3);\n",
    );
    await setTestCommand("node check.mjs");

    const taskId = await insertAssignedTask("Create docs/alpha.md, docs/beta.md and docs/gamma.md", "builder");
    const [waiting] = await waitForRun(
      "the implement run to propose its changeset",
      taskId,
      (runs) => runs[0]?.status === "needs_approval",
    );
    expect(waiting).toMatchObject({ mode: "implement", origin: "assignment", agent_key: "builder", claimed_by: executor.executorId });

    const { data: changeset } = await project.db
      .from("changesets")
      .select("*")
      .eq("run_id", waiting?.id ?? "")
      .single();
    const { data: files } = await project.db
      .from("changeset_files")
      .select("*")
      .eq("changeset_id", changeset?.id ?? "")
      .order("position");
    expect(files?.map((f) => [f.path, f.change_kind])).toEqual([
      ["docs/alpha.md", "add"],
      ["docs/beta.md", "modify"],
      ["docs/gamma.md", "add"],
    ]);
    const beta = files?.find((f) => f.path === "docs/beta.md");
    expect(beta?.base_content).toBe("old beta\r\nkept as it was\r\n");
    // The built-in agent appends to a file that exists: the diff is against the bytes it read.
    expect(beta?.unified_diff).toMatch(/^ old beta\r?$/m);
    expect(beta?.unified_diff).toMatch(/^\+\(From the goal/m);
    const { data: task } = await project.db.from("tasks").select("status").eq("id", taskId).single();
    expect(task?.status).toBe("in_progress");
    // The claim wrote "Started …"; the agent posts its proposal right after the database recorded it.
    await waitFor(
      "the agent's updates in the task thread",
      async () => /Started implementing[\s\S]*Proposed a changeset for review/.test((await updatesOf(taskId)).join("\n")) || undefined,
    );

    // Approve two files and leave the third out.
    const approved = await project.operator.client.rpc("resolve_action_proposal", {
      p_proposal_id: changeset?.proposal_id,
      p_decision: "approve",
      p_params: { changeset_id: changeset?.id, paths: ["docs/alpha.md", "docs/beta.md"] },
    });
    expect(approved.error).toBeNull();
    const applied = await waitFor("the changeset to be applied", async () => {
      const { data } = await project.db
        .from("changesets")
        .select("*")
        .eq("id", changeset?.id ?? "")
        .single();
      return data?.status === "applied" ? data : undefined;
    });
    expect(applied.applied_paths.sort()).toEqual(["docs/alpha.md", "docs/beta.md"]);
    expect(await fs.readFile(path.join(workspace, "docs/alpha.md"), "utf8")).toBe(files?.[0]?.new_content);
    await expect(fs.access(path.join(workspace, "docs/gamma.md"))).rejects.toThrow();

    // The apply moved the task to review and queued a test run of the same agent, which passes.
    const afterTests = await waitForRun("the test run after the apply", taskId, (runs) =>
      runs.some((run) => run.mode === "test" && ["completed", "failed"].includes(run.status)),
    );
    const testRun = afterTests.find((run) => run.mode === "test");
    expect(testRun).toMatchObject({ status: "completed", origin: "test_after_apply", parent_run_id: waiting?.id, input_tokens: 0 });
    const { data: testEvents } = await project.db
      .from("ai_run_events")
      .select("kind, data")
      .eq("run_id", testRun?.id ?? "")
      .eq("kind", "test_result");
    expect(testEvents?.[0]?.data).toMatchObject({ command: "node check.mjs", exit_code: 0, passed: true });
    const { data: reviewed } = await project.db.from("tasks").select("status").eq("id", taskId).single();
    expect(reviewed?.status).toBe("review");

    // One click rolls back: the new file goes, the changed one gets its exact bytes back.
    const rollback = await project.operator.client.rpc("request_changeset_rollback", { p_changeset_id: changeset?.id });
    expect(rollback.error).toBeNull();
    await waitFor("the rollback", async () => {
      const { data } = await project.db
        .from("changesets")
        .select("status")
        .eq("id", changeset?.id ?? "")
        .single();
      return data?.status === "rolled_back" || undefined;
    });
    expect(await fs.readFile(path.join(workspace, "docs/beta.md"), "utf8")).toBe("old beta\r\nkept as it was\r\n");
    await expect(fs.access(path.join(workspace, "docs/alpha.md"))).rejects.toThrow();
  }, 60_000);

  it("answers /plan in a task thread with a numbered plan, in the run and in the thread", async () => {
    await setTestCommand("");
    const { data: task } = await project.db
      .from("tasks")
      .insert({ project_id: project.projectId, title: "Plan the docs" })
      .select("id")
      .single();
    const taskId = task?.id ?? "";
    const comment = await project.operator.client.from("task_events").insert({
      project_id: project.projectId,
      task_id: taskId,
      kind: "comment",
      author_type: "user",
      author_user_id: project.operator.userId,
      content: "/plan @reviewer outline the docs folder",
    });
    expect(comment.error).toBeNull();
    const [run] = await waitForRun("the plan run to finish", taskId, (runs) => runs[0]?.status === "completed");
    expect(run).toMatchObject({ mode: "plan", origin: "command", agent_key: "reviewer" });
    expect(run?.result_summary).toMatch(/^1\. /m);
    const updates = await waitFor("the plan in the task thread", async () => {
      const found = await updatesOf(taskId);
      return found.some((u) => /^1\. /m.test(u)) ? found : undefined;
    });
    expect(updates[0]).toMatch(/^Started planning/);
  }, 30_000);

  it("fails a test run with the reason when the project has no test command", async () => {
    await setTestCommand("");
    const started = await project.operator.client.rpc("start_ai_run", {
      p_project_id: project.projectId,
      p_agent_key: "builder",
      p_mode: "test",
      p_goal: "Run the tests",
    });
    expect(started.error).toBeNull();
    const runId = (started.data as { id: string }).id;
    const failed = await waitFor("the test run to fail", async () => {
      const { data } = await project.db.from("ai_runs").select("status, error").eq("id", runId).single();
      return data?.status === "failed" ? data : undefined;
    });
    expect(failed.error).toMatch(/no test command: set one in Settings → Runs/);
  });

  it("hands a run to another agent when the model calls hand_off: the next agent's run has the note", async () => {
    const { data: task } = await project.db
      .from("tasks")
      .insert({ project_id: project.projectId, title: "Check the docs", assignee_agent_key: "relay", status: "assigned" })
      .select("id")
      .single();
    const taskId = task?.id ?? "";
    const runs = await waitForRun("the hand-off and the reviewer's run", taskId, (all) =>
      all.some((run) => run.agent_key === "reviewer" && run.status === "completed"),
    );
    expect(runs.map((run) => [run.agent_key, run.origin, run.status])).toEqual([
      ["relay", "assignment", "completed"],
      ["reviewer", "handoff", "completed"],
    ]);
    const { data: handoff } = await project.db
      .from("ai_run_events")
      .select("data")
      .eq("run_id", runs[1]?.id ?? "")
      .eq("kind", "handoff");
    expect(handoff?.[0]?.data).toMatchObject({ from: "relay", to: "reviewer", note: "Please check the docs folder." });
    const { data: assigned } = await project.db.from("tasks").select("assignee_agent_key").eq("id", taskId).single();
    expect(assigned?.assignee_agent_key).toBe("reviewer");
    expect((await updatesOf(taskId)).join("\n")).toContain("Handed over to @reviewer: Please check the docs folder.");
  }, 30_000);

  it("cancels a running run: the provider request is aborted and nothing is written for it afterwards", async () => {
    const requestsBefore = hanging.requests.length;
    const started = await project.operator.client.rpc("start_ai_run", {
      p_project_id: project.projectId,
      p_agent_key: "slowpoke",
      p_mode: "implement",
      p_goal: "Rewrite everything",
    });
    expect(started.error).toBeNull();
    const runId = (started.data as { id: string }).id;
    await hanging.waitForRequest(requestsBefore + 1);
    const cancelledAt = performance.now();
    const cancel = await project.operator.client.rpc("cancel_ai_run", { p_run_id: runId });
    expect(cancel.error).toBeNull();
    expect(cancel.data).toMatchObject({ status: "cancelled" });
    await hanging.clientAborted;
    // The issue asks for 2 s; asserted loosely so a busy machine does not fail it (realtime usually takes ~0.1 s).
    expect(performance.now() - cancelledAt).toBeLessThan(5_000);
    await waitFor("the executor to let go of the run", () => executor.runs.inFlight === 0 || undefined);
    const { data: run } = await project.db.from("ai_runs").select("status, finished_at").eq("id", runId).single();
    expect(run?.status).toBe("cancelled");
    const { data: late } = await project.db
      .from("ai_run_events")
      .select("kind, summary")
      .eq("run_id", runId)
      .gt("created_at", run?.finished_at ?? "");
    expect(late).toEqual([]);
    const { count } = await project.db.from("action_proposals").select("id", { count: "exact", head: true }).eq("run_id", runId);
    expect(count).toBe(0);
  }, 30_000);
  it("does not offer the tools of a skill that is not ready, and tells the agent why", async () => {
    const { data: skill, error } = await project.db
      .from("skills")
      .insert({
        project_id: project.projectId,
        key: "release_manifest",
        name: "Release manifest",
        requirements: [{ kind: "file", name: "release/manifest.yml" }],
        tools: ["read_file"],
      })
      .select("id")
      .single();
    if (error) throw new Error(error.message);
    try {
      // The executor checks the new skill (woken by its insert): the file is missing.
      await waitFor("the executor's verdict on the skill", async () => {
        const { data } = await project.db.from("skills_mirror").select("status").eq("skill_id", skill.id).maybeSingle();
        return data?.status === "needs_setup";
      });
      const taskId = await insertAssignedTask("Read the release notes", "gated");
      await waitForRun("the gated agent's run", taskId, (runs) => runs[0]?.status === "completed");
      const request = hanging.requests.find((r) => JSON.stringify(r.body).includes("Read the release notes"));
      const body = request?.body as { tools: { function: { name: string } }[]; messages: { role: string; content: string }[] };
      const offered = body.tools.map((t) => t.function.name);
      expect(offered).not.toContain("read_file");
      expect(offered).toEqual(expect.arrayContaining(["list_files", "search_text"]));
      expect(body.messages.find((m) => m.role === "system")?.content).toContain(
        'Skill "Release manifest" needs setup: release/manifest.yml does not exist',
      );
    } finally {
      await project.db.from("skills").delete().eq("id", skill.id);
    }
  }, 30_000);
});
