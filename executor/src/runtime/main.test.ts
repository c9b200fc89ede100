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
async function spawnExecutor(
  executorId: string,
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; exited: Promise<number | null>; url: string }> {
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
      ...extraEnv,
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

  it("loses nothing on SIGKILL mid-delivery: once the killed executor is silent its delivery is queued again and answered once, with no Retry", async () => {
    delayMs = 60_000;
    const childId = `child-kill-${crypto.randomUUID().slice(0, 6)}`;
    const { child, exited } = await spawnExecutor(childId);
    const message = await sendMessage(project.operator, project.projectId, "DM:slow", "You will not finish this");
    const picked = await waitForDelivery(project.db, message.id, "delivered");
    expect(picked.claimed_by).toBe(childId);
    child.kill("SIGKILL");
    await exited;

    delayMs = 0;
    // Heartbeats every 200 ms here, so an executor silent for 600 ms is dead; deliveries count as
    // stuck only after the default two minutes, so the requeue alone must act.
    const rescuer = await startTestExecutor({ WATCHDOG_INTERVAL_MS: "100", PRESENCE_INTERVAL_MS: "200" });
    executors.push(rescuer);
    const processed = await waitForDelivery(project.db, message.id, "processed", 10_000);
    expect(processed.claimed_by).toBe(rescuer.executorId);
    expect(processed.attempts).toBe(2);
    const replies = await waitFor("the reply", async () => {
      const rows = await repliesTo(project.db, message.id);
      return rows.length > 0 ? rows : undefined;
    });
    expect(replies).toHaveLength(1);
  }, 40_000);

  it("answers 300 DMs exactly once each with no failure while the executor is SIGKILLed three times", async () => {
    delayMs = 50;
    const total = 300;
    const messages = [];
    for (let i = 0; i < total; i++) messages.push(await sendMessage(project.operator, project.projectId, "DM:slow", `Message ${i}`));
    const ids = messages.map((m) => m.id);
    const count = async (status: string) => {
      const { count: n, error } = await project.db
        .from("chat_delivery_queue")
        .select("id", { count: "exact", head: true })
        .in("message_id", ids)
        .eq("status", status);
      if (error) throw new Error(error.message);
      return n ?? 0;
    };
    // Each executor heartbeats every 200 ms and looks for dead ones every 100 ms.
    const env = { PRESENCE_INTERVAL_MS: "200", WATCHDOG_INTERVAL_MS: "100" };
    for (let kill = 1; kill <= 3; kill++) {
      const before = await count("processed");
      const { child, exited } = await spawnExecutor(`child-burst-${kill}-${crypto.randomUUID().slice(0, 6)}`, env);
      // Killed mid-work: some replies saved, others claimed and in flight.
      await waitFor(
        `executor ${kill} to answer 30 more`,
        async () => ((await count("processed")) >= before + 30 ? true : undefined),
        30_000,
      );
      await waitFor(`executor ${kill} to hold deliveries`, async () => ((await count("delivered")) > 0 ? true : undefined), 10_000);
      child.kill("SIGKILL");
      await exited;
    }
    await spawnExecutor(`child-burst-last-${crypto.randomUUID().slice(0, 6)}`, env);
    await waitFor(
      "every delivery to be processed",
      async () => {
        if ((await count("failed")) > 0) throw new Error("a delivery failed");
        return (await count("processed")) === total ? true : undefined;
      },
      60_000,
    );
    const { data: replies, error } = await project.db.from("project_chat_messages").select("reply_to").in("reply_to", ids);
    expect(error).toBeNull();
    const perMessage = new Map<string, number>();
    for (const reply of replies ?? []) perMessage.set(String(reply.reply_to), (perMessage.get(String(reply.reply_to)) ?? 0) + 1);
    expect(perMessage.size).toBe(total);
    expect([...perMessage.values()].every((n) => n === 1)).toBe(true);
  }, 180_000);
});
