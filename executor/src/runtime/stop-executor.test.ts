import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProviderSettings } from "../agents/build-provider-settings.ts";
import { repliesTo, sendMessage, waitForDelivery } from "../testing/send-message.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject } from "../testing/stack-fixtures.ts";
import { startFakeOpenAi, type TFakeOpenAi } from "../testing/start-fake-openai.ts";

let project: TTestProject;
let slow: TFakeOpenAi;
let releaseLock: () => Promise<void>;
let delayMs = 0;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("stop", [
    { agent_key: "slow", display_name: "Slow", provider: "openai_compatible", model: "slow-model" },
  ]);
  slow = await startFakeOpenAi(() => ({ status: 200, content: "Took my time.", delayMs }));
});

afterAll(async () => {
  await slow?.close();
  await project?.remove();
  await releaseLock?.();
});

const providers = () => ({
  ...buildProviderSettings({}),
  openai_compatible: { kind: "openai_compatible", baseUrl: slow.url, apiKey: "sk-test-slow-123456" },
});

describe("graceful stop", () => {
  it("finishes a delivery in flight when it completes before the shutdown deadline", async () => {
    delayMs = 500;
    const executor = await startTestExecutor({ SHUTDOWN_TIMEOUT_MS: "5000" }, { providers: providers() });
    const statusOf = async () =>
      (
        await project.db
          .from("agent_status")
          .select("status")
          .eq("agent_id", project.agentIds.slow as string)
          .single()
      ).data?.status;
    expect(await statusOf()).toBe("idle");
    const message = await sendMessage(project.operator, project.projectId, "DM:slow", "Finish this before you go");
    await waitForDelivery(project.db, message.id, "delivered");
    // Executors of earlier test files that were killed still look alive for a while: this one is the last.
    await project.db
      .from("executor_presence")
      .update({ stopped_at: new Date().toISOString() })
      .neq("id", executor.executorId)
      .is("stopped_at", null);
    const report = await executor.stop();
    expect(report).toMatchObject({ finished: 1, aborted: 0, released: 0 });
    const processed = await waitForDelivery(project.db, message.id, "processed", 1_000);
    expect(processed.attempts).toBe(1);
    expect(await repliesTo(project.db, message.id)).toHaveLength(1);
    const { data: presence } = await project.db.from("executor_presence").select("stopped_at").eq("id", executor.executorId).single();
    expect(presence?.stopped_at).not.toBeNull();
    expect(await statusOf()).toBe("offline");
  });

  it("releases a delivery still running at the deadline without counting the attempt, and the next executor answers it", async () => {
    delayMs = 3_000;
    const first = await startTestExecutor({ SHUTDOWN_TIMEOUT_MS: "200" }, { providers: providers() });
    const message = await sendMessage(project.operator, project.projectId, "DM:slow", "This will take too long");
    await waitForDelivery(project.db, message.id, "delivered");
    const report = await first.stop();
    expect(report).toMatchObject({ aborted: 1, released: 1 });
    // A stopped worker holds nothing: what it did not finish is back in the queue.
    expect(first.worker).toMatchObject({ state: "stopped", inFlight: 0 });
    const { data: released } = await project.db.from("chat_delivery_queue").select("*").eq("message_id", message.id).single();
    expect(released).toMatchObject({ status: "queued", attempts: 0, claimed_by: null });
    expect(await repliesTo(project.db, message.id)).toHaveLength(0);

    delayMs = 0;
    const second = await startTestExecutor({}, { providers: providers() });
    try {
      const processed = await waitForDelivery(project.db, message.id, "processed", 5_000);
      expect(processed.claimed_by).toBe(second.executorId);
      expect(processed.attempts).toBe(1);
      expect(await repliesTo(project.db, message.id)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
