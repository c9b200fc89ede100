import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createControlApiClient } from "@mission-control/shared/control-api";
import { parentEnv } from "@mission-control/supabase/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../env.ts";
import { repliesTo, sendMessage, waitForDelivery } from "../testing/send-message.ts";
import {
  createTestProject,
  holdExecutorLock,
  stackInfo,
  startTestExecutor,
  type TTestProject,
  waitFor,
} from "../testing/stack-fixtures.ts";
import { startFakeOpenAi, type TFakeOpenAi } from "../testing/start-fake-openai.ts";
import type { TExecutor } from "./start-executor.ts";

let project: TTestProject;
let slow: TFakeOpenAi;
let releaseLock: () => Promise<void>;
let delayMs = 0;
const children: ChildProcess[] = [];
const executors: TExecutor[] = [];

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("main", [
    { agent_key: "slow", display_name: "Slow", provider: "openai_compatible", model: "slow-model" },
  ]);
  slow = await startFakeOpenAi(() => ({ status: 200, content: "Slow but sure.", delayMs }));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const executor of executors.splice(0)) await executor.stop();
});

afterAll(async () => {
  await slow?.close();
  await project?.remove();
  await releaseLock?.();
});

/** Runs `executor/src/main.ts` in a child process against the test stack; resolves once the Control API listens. */
async function spawnExecutor(executorId: string): Promise<{ child: ChildProcess; exited: Promise<number | null>; url: string }> {
  const s = stackInfo();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "executor/src/main.ts")], {
    cwd: repoRoot,
    env: {
      PATH: parentEnv.PATH,
      SUPABASE_URL: s.url,
      SUPABASE_SERVICE_ROLE_KEY: s.serviceRoleKey,
      CONTROL_API_PORT: "0",
      EXECUTOR_ID: executorId,
      OPENAI_BASE_URL: slow.url,
      OPENAI_API_KEY: "sk-test-child-123456",
      POLL_INTERVAL_MS: "200",
      SHUTDOWN_TIMEOUT_MS: "10000",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child executor did not start: ${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Control API listening on (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`the child executor exited with ${code}: ${output}`)));
  });
  return { child, exited, url };
}

describe("executor process", () => {
  it("prints where the Control API listens and finishes in-flight work on SIGTERM before exiting 0", async () => {
    delayMs = 800;
    const { child, exited, url } = await spawnExecutor(`child-term-${crypto.randomUUID().slice(0, 6)}`);
    expect((await createControlApiClient({ baseUrl: url }).health()).status).toBe(200);
    const message = await sendMessage(project.operator, project.projectId, "DM:slow", "Finish before you exit");
    await waitForDelivery(project.db, message.id, "delivered");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const processed = await waitForDelivery(project.db, message.id, "processed", 1_000);
    expect(processed.attempts).toBe(1);
    expect(await repliesTo(project.db, message.id)).toHaveLength(1);
  }, 40_000);

  it("loses nothing on SIGKILL mid-delivery: the watchdog fails it and a retry gets a reply", async () => {
    delayMs = 60_000;
    const childId = `child-kill-${crypto.randomUUID().slice(0, 6)}`;
    const { child, exited } = await spawnExecutor(childId);
    const message = await sendMessage(project.operator, project.projectId, "DM:slow", "You will not finish this");
    const picked = await waitForDelivery(project.db, message.id, "delivered");
    expect(picked.claimed_by).toBe(childId);
    child.kill("SIGKILL");
    await exited;

    delayMs = 0;
    const rescuer = await startTestExecutor({ WATCHDOG_STUCK_AFTER_MS: "500", WATCHDOG_INTERVAL_MS: "100" });
    executors.push(rescuer);
    const failed = await waitForDelivery(project.db, message.id, "failed", 5_000);
    expect(failed.error).toMatch(/executor may have died/);
    const { error } = await project.operator.client.rpc("retry_chat_delivery", { p_delivery_id: failed.id });
    expect(error).toBeNull();
    const processed = await waitForDelivery(project.db, message.id, "processed", 5_000);
    expect(processed.claimed_by).toBe(rescuer.executorId);
    const replies = await waitFor("the reply", async () => {
      const rows = await repliesTo(project.db, message.id);
      return rows.length > 0 ? rows : undefined;
    });
    expect(replies).toHaveLength(1);
  }, 40_000);
});
