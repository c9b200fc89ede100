import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TExecutor } from "../runtime/start-executor.ts";
import { repliesTo, sendMessage, waitForDelivery } from "../testing/send-message.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject } from "../testing/stack-fixtures.ts";

let project: TTestProject;
let executor: TExecutor | undefined;
let releaseLock: () => Promise<void>;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("watchdog", [{ agent_key: "lead", display_name: "Lead" }]);
});

afterAll(async () => {
  await executor?.stop();
  await project?.remove();
  await releaseLock?.();
});

describe("watchdog", () => {
  it("fails a delivery stuck after pickup, and a double-clicked retry makes one new attempt that gets a reply", async () => {
    const message = await sendMessage(project.operator, project.projectId, "DM:lead", "Are you still alive?");
    // An executor that claimed it and died: the claim is never completed.
    const claimed = await project.db.rpc("claim_chat_deliveries", { p_executor_id: "dead-executor", p_limit: 1, p_message_id: message.id });
    expect(claimed.data).toHaveLength(1);

    executor = await startTestExecutor({ WATCHDOG_STUCK_AFTER_MS: "300", WATCHDOG_INTERVAL_MS: "100" });
    const failed = await waitForDelivery(project.db, message.id, "failed", 5_000);
    expect(failed.claimed_by).toBe("dead-executor");
    expect(failed.error).toMatch(/Stuck after pickup/);
    const { data: source } = await project.db.from("project_chat_messages").select("status").eq("id", message.id).single();
    expect(source?.status).toBe("failed");
    const { data: feed } = await project.db
      .from("activities")
      .select("actor, kind")
      .eq("project_id", project.projectId)
      .eq("kind", "chat.delivery_failed");
    expect(feed).toEqual([{ actor: "watchdog", kind: "chat.delivery_failed" }]);

    const retry = () => project.operator.client.rpc("retry_chat_delivery", { p_delivery_id: failed.id });
    const [first, second] = await Promise.all([retry(), retry()]);
    expect(first.error).toBeNull();
    expect(second.error).toBeNull();

    const processed = await waitForDelivery(project.db, message.id, "processed", 5_000);
    expect(processed.attempts).toBe(1);
    expect(processed.claimed_by).toBe(executor.executorId);
    expect(await repliesTo(project.db, message.id)).toHaveLength(1);
  });

  it("leaves deliveries alone that are younger than the stuck-after limit", async () => {
    const message = await sendMessage(project.operator, project.projectId, "DM:lead", "Quick one");
    const processed = await waitForDelivery(project.db, message.id, "processed", 5_000);
    expect(processed.error).toBeNull();
    expect(processed.attempts).toBe(1);
  });
});
