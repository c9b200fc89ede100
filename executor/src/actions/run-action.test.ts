import type { TActionProposalParams } from "@mission-control/shared/schemas";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertProposal } from "../testing/proposal-fixtures.ts";
import { createTestProject, type TTestProject } from "../testing/stack-fixtures.ts";
import { startRecordingServer, type TRecordingServer } from "../testing/start-recording-server.ts";
import type { TActionOutcome } from "./action-types.ts";
import { runAction } from "./run-action.ts";

let project: TTestProject;
let server: TRecordingServer;

beforeAll(async () => {
  project = await createTestProject("actions", [{ agent_key: "builder", display_name: "Builder" }]);
  server = await startRecordingServer({ status: 200, body: "x".repeat(50) });
  const allow = await project.db
    .from("project_settings")
    .insert({ project_id: project.projectId, key: "api_allowlist", value: { hosts: ["127.0.0.1"] } });
  if (allow.error) throw new Error(allow.error.message);
});

afterAll(async () => {
  await server?.close();
  await project?.remove();
});

/** Runs an action for a real proposal row (the worker would have claimed it). */
async function run(action: TActionProposalParams, signal = new AbortController().signal): Promise<TActionOutcome> {
  const proposal = await insertProposal(project.db, project.projectId, action);
  return runAction({
    db: project.db,
    proposal,
    workspaceDir: "/dev/null/no-workspace",
    apiCall: { defaultTimeoutMs: 2_000, maxBodyChars: 20 },
    signal,
    log: pino({ level: "silent" }),
  });
}

describe("runAction", () => {
  it("create_task inserts one card, assigned when it names an agent", async () => {
    const outcome = await run({
      action_type: "create_task",
      params: { title: "Write the launch post", assignee_agent_key: "builder", labels: ["launch"], priority: "high" },
    });
    expect(outcome.ok).toBe(true);
    const { data } = await project.db.from("tasks").select("*").eq("project_id", project.projectId).eq("title", "Write the launch post");
    expect(data).toEqual([
      expect.objectContaining({ status: "assigned", assignee_agent_key: "builder", labels: ["launch"], priority: "high" }),
    ]);
    expect(outcome).toMatchObject({ result: { task_id: data?.[0]?.id } });
  });

  it("create_task fails with the reason when the assignee is not an agent of the project", async () => {
    const outcome = await run({ action_type: "create_task", params: { title: "Orphan", assignee_agent_key: "ghost" } });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining("ghost is not in this project") });
  });

  it("schedule_job adds a cron_mirror row and refuses a duplicate name", async () => {
    const params = { name: "nightly digest", schedule_kind: "cron" as const, schedule_expr: "0 2 * * *", target_agent_key: "builder" };
    const first = await run({ action_type: "schedule_job", params });
    expect(first.ok).toBe(true);
    const { data } = await project.db.from("cron_mirror").select("*").eq("project_id", project.projectId);
    expect(data).toEqual([expect.objectContaining({ name: "nightly digest", schedule_expr: "0 2 * * *", enabled: true })]);
    const again = await run({ action_type: "schedule_job", params });
    expect(again).toMatchObject({ ok: false, error: expect.stringContaining("already exists") });
  });

  it("edit_doc creates the doc, then replaces it keeping the previous content for rollback", async () => {
    const created = await run({ action_type: "edit_doc", params: { doc_type: "runbook", title: "Runbook", content: "v1" } });
    expect(created).toMatchObject({ ok: true, result: { created: true, previous: null } });
    const edited = await run({ action_type: "edit_doc", params: { doc_type: "runbook", content: "v2" } });
    expect(edited).toMatchObject({ ok: true, result: { created: false, previous: { title: "Runbook", content: "v1" } } });
    const { data } = await project.db
      .from("brain_docs")
      .select("title, content")
      .eq("project_id", project.projectId)
      .eq("doc_type", "runbook");
    expect(data).toEqual([{ title: "Runbook", content: "v2" }]);
    const versions = await project.db
      .from("brain_doc_versions")
      .select("version, content, author_agent_key")
      .eq("project_id", project.projectId)
      .order("version");
    expect(versions.data).toEqual([
      { version: 1, content: "v1", author_agent_key: "builder" },
      { version: 2, content: "v2", author_agent_key: "builder" },
    ]);
  });

  it("send_message posts as the proposing agent into the Team Room", async () => {
    const outcome = await run({ action_type: "send_message", params: { thread_key: "team-room", content: "Deploy finished." } });
    expect(outcome.ok).toBe(true);
    const { data } = await project.db
      .from("project_chat_messages")
      .select("author_type, author_agent_key, content, thread_id")
      .eq("project_id", project.projectId)
      .eq("content", "Deploy finished.");
    expect(data).toEqual([expect.objectContaining({ author_type: "agent", author_agent_key: "builder" })]);
    expect(outcome).toMatchObject({ result: { thread_id: data?.[0]?.thread_id } });
  });

  it("api_call reaches an allowlisted host and records the status and a truncated body", async () => {
    const before = server.requests.length;
    const outcome = await run({ action_type: "api_call", params: { method: "POST", url: `${server.url}/hook`, body: { ping: 1 } } });
    expect(outcome).toMatchObject({
      ok: true,
      result: { status: 200, body: "x".repeat(20), body_truncated: true, body_chars: 50 },
    });
    expect(server.requests.slice(before)).toEqual([{ method: "POST", path: "/hook", body: '{"ping":1}' }]);
  });

  it("api_call refuses a host off the allowlist and sends nothing", async () => {
    const before = server.requests.length;
    const offList = server.url.replace("127.0.0.1", "localhost");
    const outcome = await run({ action_type: "api_call", params: { method: "GET", url: `${offList}/steal` } });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining("not on this project's api_allowlist") });
    expect(server.requests.length).toBe(before);
  });

  it("api_call gives up after its timeout and says the outcome is unknown", async () => {
    const hanging = await startRecordingServer(null);
    try {
      const started = Date.now();
      const outcome = await run({ action_type: "api_call", params: { method: "GET", url: `${hanging.url}/slow`, timeout_ms: 300 } });
      expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/^outcome unknown: check before retrying/) });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(hanging.requests).toHaveLength(1);
    } finally {
      await hanging.close();
    }
  });

  it("refuses params that do not match the action's schema without running anything", async () => {
    const invalid = await runAction({
      db: project.db,
      proposal: {
        ...(await insertProposal(project.db, project.projectId, { action_type: "create_task", params: { title: "x" } })),
        params: { title: "" },
      },
      workspaceDir: "/tmp",
      apiCall: { defaultTimeoutMs: 1_000, maxBodyChars: 10 },
      signal: new AbortController().signal,
      log: pino({ level: "silent" }),
    });
    expect(invalid).toMatchObject({ ok: false, error: expect.stringContaining("is invalid") });
    const { data } = await project.db.from("tasks").select("id").eq("project_id", project.projectId).eq("title", "");
    expect(data).toEqual([]);
  });
});
