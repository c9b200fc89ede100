import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parentEnv } from "@mission-control/supabase/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../env.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { insertProposal, readProposal, resolveProposal, waitForProposal } from "../testing/proposal-fixtures.ts";
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
let hanging: TRecordingServer;
let workspace: string;
let child: ChildProcess | undefined;
let watchdogExecutor: TExecutor | undefined;
let releaseLock: () => Promise<void>;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("crash", [{ agent_key: "builder", display_name: "Builder" }]);
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-crash-"));
  hanging = await startRecordingServer(null);
  const allow = await project.db
    .from("project_settings")
    .insert({ project_id: project.projectId, key: "api_allowlist", value: { hosts: ["127.0.0.1"] } });
  if (allow.error) throw new Error(allow.error.message);
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await watchdogExecutor?.stop();
  await hanging?.close();
  await project?.remove();
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
      WORKSPACE_DIR: workspace,
      POLL_INTERVAL_MS: "200",
      WATCHDOG_INTERVAL_MS: "600000",
      API_CALL_TIMEOUT_MS: "60000",
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

describe("an executor killed between claim and finish", () => {
  it("leaves the proposal failed as outcome unknown, and it never runs again", async () => {
    const executorId = `crash-${crypto.randomUUID().slice(0, 8)}`;
    child = await startChildExecutor(executorId);
    const proposal = await insertProposal(project.db, project.projectId, {
      action_type: "api_call",
      params: { method: "POST", url: `${hanging.url}/deploy`, timeout_ms: 60_000 },
    });
    await resolveProposal(project.operator, proposal.id, "approve");
    // The action is running: the request reached the upstream, which never answers.
    await waitFor("the api_call to reach the hanging server", () => hanging.requests.length === 1, 10_000);
    expect(await readProposal(project.db, proposal.id)).toMatchObject({ status: "executing", claimed_by: executorId });

    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;

    watchdogExecutor = await startTestExecutor({
      APPROVAL_PROJECT_IDS: project.projectId,
      WORKSPACE_DIR: workspace,
      APPROVAL_STUCK_AFTER_MS: "1000",
      WATCHDOG_INTERVAL_MS: "200",
    });
    const failed = await waitForProposal(project.db, proposal.id, ["failed", "executed"], 10_000);
    expect(failed).toMatchObject({ status: "failed", error: "outcome unknown: check before retrying", claimed_by: executorId });

    // Another executor is running and polling: nothing picks it up again.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hanging.requests).toHaveLength(1);
    expect((await readProposal(project.db, proposal.id)).status).toBe("failed");
    const { data: notices } = await project.db
      .from("project_chat_messages")
      .select("content")
      .eq("metadata->>proposal_id", proposal.id)
      .eq("message_type", "system");
    expect(notices?.map((n) => n.content.split("\n")[0])).toEqual([
      `Proposal ${proposal.id} (api_call) failed: outcome unknown: check before retrying. Check its effect before proposing it again.`,
    ]);
  });
});
