import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TActionProposalParams } from "@mission-control/shared/schemas";
import { parentEnv, sqlPool } from "@mission-control/supabase/testing";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TProposalRow } from "../actions/action-types.ts";
import { deriveActionId } from "../actions/derive-action-id.ts";
import { repoRoot } from "../env.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { insertProposal, resolveProposal } from "../testing/proposal-fixtures.ts";
import {
  createTestProject,
  holdExecutorLock,
  stackInfo,
  startTestExecutor,
  type TTestProject,
  waitFor,
} from "../testing/stack-fixtures.ts";
import { startRecordingServer, type TRecordingServer } from "../testing/start-recording-server.ts";

let project: TTestProject;
let server: TRecordingServer;
let hanging: TRecordingServer;
let workspace: string;
let child: ChildProcess | undefined;
let survivor: TExecutor | undefined;
let releaseLock: () => Promise<void>;
let sql: pg.Pool;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  sql = sqlPool();
  project = await createTestProject("kill", [{ agent_key: "builder", display_name: "Builder" }]);
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-kill-"));
  server = await startRecordingServer({ status: 200, body: "ok" });
  hanging = await startRecordingServer(null);
  const allow = await project.db
    .from("project_settings")
    .insert({ project_id: project.projectId, key: "api_allowlist", value: { hosts: ["127.0.0.1"] } });
  if (allow.error) throw new Error(allow.error.message);
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await survivor?.stop();
  await server?.close();
  await hanging?.close();
  await project?.remove();
  await sql?.end();
  await fs.rm(workspace, { recursive: true, force: true });
  await releaseLock?.();
});

/** Starts `executor/src/main.ts` as its own process (one node process, so SIGKILL hits the executor itself). */
async function startChildExecutor(executorId: string): Promise<ChildProcess> {
  const s = stackInfo();
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "executor", "src", "main.ts")], {
    cwd: repoRoot,
    env: {
      ...parentEnv,
      SUPABASE_URL: s.url,
      SUPABASE_SERVICE_ROLE_KEY: s.serviceRoleKey,
      CONTROL_API_PORT: "0",
      EXECUTOR_ID: executorId,
      APPROVAL_PROJECT_IDS: project.projectId,
      APPROVAL_CONCURRENCY: "8",
      WORKSPACE_DIR: workspace,
      POLL_INTERVAL_MS: "100",
      PRESENCE_INTERVAL_MS: "300",
      WATCHDOG_INTERVAL_MS: "600000",
      API_CALL_TIMEOUT_MS: "60000",
      RUN_PROJECT_IDS: "00000000-0000-4000-8000-000000000000",
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  proc.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitFor(
    "the child executor to listen",
    () => (proc.exitCode !== null ? Promise.reject(new Error(output)) : output.includes("Control API listening")),
    30_000,
  );
  return proc;
}

async function statuses(ids: string[]): Promise<TProposalRow[]> {
  const { data, error } = await project.db.from("action_proposals").select("*").in("id", ids);
  if (error) throw new Error(error.message);
  return data;
}

describe("an executor killed mid-batch of 50 approvals", () => {
  it("leaves only api_calls outcome unknown: the rest are reconciled, each task created once, nothing run twice", async () => {
    // Round-robin over the kinds, so the kill lands in the middle of every kind; the three
    // api_calls to a hanging upstream come early and are surely in flight when it lands.
    const actions: TActionProposalParams[] = [];
    for (let i = 0; i < 10; i++) {
      actions.push({ action_type: "create_task", params: { title: `Task ${i}` } });
      if (i >= 8) continue;
      const upstream = i < 3 ? hanging : server;
      actions.push({ action_type: "api_call", params: { method: "POST", url: `${upstream.url}/call/${i}`, timeout_ms: 60_000 } });
      actions.push({ action_type: "file_write", params: { path: `out/file-${i}.md`, content: `content ${i}\n` } });
      actions.push({ action_type: "edit_doc", params: { doc_type: `doc_${i}`, content: `doc ${i}` } });
      actions.push({ action_type: "send_message", params: { thread_key: "team-room", content: `message ${i}` } });
      actions.push({ action_type: "schedule_job", params: { name: `job ${i}`, schedule_kind: "cron", schedule_expr: "0 2 * * *" } });
    }
    expect(actions).toHaveLength(50);
    const proposals = await Promise.all(actions.map((action) => insertProposal(project.db, project.projectId, action)));
    const ids = proposals.map((p) => p.id);
    const kind = new Map(proposals.map((p) => [p.id, p.action_type]));

    // Two create_tasks are held mid-insert: a transaction of the test inserts their task ids first,
    // so the child's inserts wait on the key. After the kill it rolls back and the inserts the dead
    // executor sent go through: the tasks exist though nobody recorded them (what the issue saw).
    const held = ids.filter((id) => kind.get(id) === "create_task").slice(0, 2);
    const blocker = await sql.connect();
    await blocker.query("begin");
    for (const id of held) {
      await blocker.query("insert into public.tasks (id, project_id, title) values ($1, $2, 'blocker')", [
        deriveActionId(id, "create_task"),
        project.projectId,
      ]);
    }

    const executorId = `kill-${crypto.randomUUID().slice(0, 8)}`;
    child = await startChildExecutor(executorId);
    // Approvals keep coming while the child works through them; it is killed mid-batch.
    const approving = (async () => {
      for (const p of proposals) await resolveProposal(project.operator, p.id, "approve");
    })();
    await waitFor(
      "the child to be mid-batch",
      async () => {
        const waiting = await sql.query(
          `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%insert into "public"."tasks"%'`,
        );
        return waiting.rows[0].n >= held.length && (await statuses(ids)).filter((r) => r.status === "executed").length >= 15;
      },
      30_000,
    );
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    const atKill = await statuses(ids);
    expect(atKill.filter((r) => r.status === "executing").length).toBeGreaterThan(0);
    expect(atKill.filter((r) => r.status !== "executed").length).toBeGreaterThan(3);
    await approving;
    await blocker.query("rollback");
    blocker.release();
    await waitFor("the dead executor's held inserts to land", async () => {
      const { data } = await project.db
        .from("tasks")
        .select("id")
        .in(
          "id",
          held.map((id) => deriveActionId(id, "create_task")),
        );
      return data?.length === held.length;
    });

    survivor = await startTestExecutor({
      APPROVAL_PROJECT_IDS: project.projectId,
      WORKSPACE_DIR: workspace,
      // The child is found dead by its silence (three of the survivor's heartbeat intervals), not
      // by the stuck timer, which stays long so nothing the survivor runs itself is taken for stuck.
      APPROVAL_STUCK_AFTER_MS: "60000",
      WATCHDOG_INTERVAL_MS: "200",
      PRESENCE_INTERVAL_MS: "1000",
    });
    const finished = await waitFor(
      "all 50 proposals to end",
      async () => {
        const rows = await statuses(ids);
        return rows.every((r) => r.status === "executed" || r.status === "failed") ? rows : undefined;
      },
      60_000,
    );

    for (const row of finished) {
      if (row.action_type === "api_call") continue;
      expect({ id: row.id, kind: row.action_type, status: row.status, error: row.error }).toEqual({
        id: row.id,
        kind: row.action_type,
        status: "executed",
        error: null,
      });
    }
    // Those the kill caught mid-action were reconciled, each with its decision recorded.
    const caught = atKill.filter((r) => r.status === "executing" && r.action_type !== "api_call").map((r) => r.id);
    const { data: decisions } = await project.db
      .from("activities")
      .select("ref")
      .eq("project_id", project.projectId)
      .eq("kind", "approval.reconciled");
    const decided = new Set(decisions?.map((a) => (a.ref as { proposal_id: string }).proposal_id));
    for (const id of caught) expect(decided.has(id)).toBe(true);
    for (const id of held) {
      const row = finished.find((r) => r.id === id);
      expect((row?.execution_result as { reconciled?: string } | null)?.reconciled).toMatch(/^It had happened before executor kill-/);
    }
    const unknown = finished.filter((r) => r.error?.startsWith("outcome unknown"));
    for (const row of unknown) expect(row.action_type).toBe("api_call");

    // Every create_task created exactly one task, and no other task exists.
    const { data: tasks, error } = await project.db.from("tasks").select("id").eq("project_id", project.projectId);
    if (error) throw new Error(error.message);
    const taskProposals = ids.filter((id) => kind.get(id) === "create_task");
    expect(tasks.map((t) => t.id).sort()).toEqual(taskProposals.map((id) => deriveActionId(id, "create_task")).sort());
    // Nothing ran twice: one job and one message per proposal, one version per doc, one request per call.
    const { data: jobs } = await project.db.from("cron_mirror").select("id").eq("project_id", project.projectId);
    expect(jobs).toHaveLength(8);
    const { data: posts } = await project.db
      .from("project_chat_messages")
      .select("id, metadata")
      .eq("project_id", project.projectId)
      .eq("author_type", "agent")
      .not("metadata->>proposal_id", "is", null);
    expect(posts?.map((m) => (m.metadata as { proposal_id: string }).proposal_id).sort()).toEqual(
      ids.filter((id) => kind.get(id) === "send_message").sort(),
    );
    const { data: versions } = await project.db
      .from("brain_doc_versions")
      .select("version, doc:brain_docs!doc_id(doc_type)")
      .eq("project_id", project.projectId);
    expect(versions).toHaveLength(8);
    for (const v of versions ?? []) expect(v.version).toBe(1);
    for (let i = 0; i < 8; i++) expect(await fs.readFile(path.join(workspace, "out", `file-${i}.md`), "utf8")).toBe(`content ${i}\n`);
    for (let i = 0; i < 8; i++) {
      const sent = [...server.requests, ...hanging.requests].filter((r) => r.path === `/call/${i}`).length;
      expect(sent).toBeLessThanOrEqual(1);
    }
    for (const row of finished.filter((r) => r.action_type === "api_call" && r.status === "executed")) {
      expect(server.requests.filter((r) => r.path === new URL((row.params as { url: string }).url).pathname)).toHaveLength(1);
    }
  });
});
