import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TExecutor } from "../runtime/start-executor.ts";
import { repliesTo, sendMessage, waitForDelivery } from "../testing/send-message.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject } from "../testing/stack-fixtures.ts";

let project: TTestProject;
let executor: TExecutor | undefined;
let releaseLock: () => Promise<void>;
const run = crypto.randomUUID().slice(0, 6);
const ids = { silent: `silent-${run}`, stopped: `stopped-${run}`, alive: `alive-${run}` };

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("requeue-dead", [{ agent_key: "lead", display_name: "Lead" }]);
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
  const { error } = await project.db.from("executor_presence").insert([
    // Killed an hour ago: its heartbeat stopped.
    { id: ids.silent, version: "0.1.0", last_seen_at: at(-3_600_000), stopped_at: null },
    // Stopped (cleanly, or retired by the executor that took its address).
    { id: ids.stopped, version: "0.1.0", last_seen_at: at(0), stopped_at: at(0) },
    // Alive for the whole test: its heartbeat is fresh until long after the test ends.
    { id: ids.alive, version: "0.1.0", last_seen_at: at(3_600_000), stopped_at: null },
  ]);
  expect(error).toBeNull();
});

afterAll(async () => {
  await executor?.stop();
  await project?.db.from("executor_presence").delete().in("id", Object.values(ids));
  await project?.remove();
  await releaseLock?.();
});

/** Sends a DM to @lead and claims its delivery as `executorId`, as an executor that then dies would. */
async function claimedBy(executorId: string, content: string) {
  const message = await sendMessage(project.operator, project.projectId, "DM:lead", content);
  const claimed = await project.db.rpc("claim_chat_deliveries", { p_executor_id: executorId, p_limit: 1, p_message_id: message.id });
  expect(claimed.data).toHaveLength(1);
  return message;
}

describe("requeue_deliveries_of_dead_executors", () => {
  it("queues a dead executor's delivery again at once, with the attempt counted, and it gets exactly one reply; a live executor's claim is left alone", async () => {
    const fromSilent = await claimedBy(ids.silent, "Did you hear me before you went quiet?");
    const fromAlive = await claimedBy(ids.alive, "Still working on it?");
    // Deliveries are stuck only after two minutes (the default): the requeue alone must act.
    executor = await startTestExecutor({ WATCHDOG_INTERVAL_MS: "100", PRESENCE_INTERVAL_MS: "200" });

    const processed = await waitForDelivery(project.db, fromSilent.id, "processed", 10_000);
    expect(processed.attempts).toBe(2);
    expect(processed.claimed_by).toBe(executor.executorId);
    expect(await repliesTo(project.db, fromSilent.id)).toHaveLength(1);

    const held = await waitForDelivery(project.db, fromAlive.id, "delivered", 1_000);
    expect(held.claimed_by).toBe(ids.alive);
    const { data: failures } = await project.db
      .from("activities")
      .select("summary")
      .eq("project_id", project.projectId)
      .eq("kind", "chat.delivery_failed");
    expect(failures).toEqual([]);
  });

  it("fails, with a Retry-able error, a dead executor's delivery that had no attempt left", async () => {
    // No executor may take the new message before the dead one's claim is staged.
    await executor?.stop();
    const message = await claimedBy(ids.stopped, "This was the last try");
    const { error } = await project.db.from("chat_delivery_queue").update({ max_attempts: 1 }).eq("message_id", message.id);
    expect(error).toBeNull();
    executor = await startTestExecutor({ WATCHDOG_INTERVAL_MS: "100", PRESENCE_INTERVAL_MS: "200" });

    const failed = await waitForDelivery(project.db, message.id, "failed", 10_000);
    expect(failed.error).toBe(`Executor ${ids.stopped} died during the last of 1 attempts. Retry it.`);
    const { data: source } = await project.db.from("project_chat_messages").select("status").eq("id", message.id).single();
    expect(source?.status).toBe("failed");
    const { data: feed } = await project.db
      .from("activities")
      .select("actor, summary")
      .eq("project_id", project.projectId)
      .eq("kind", "chat.delivery_failed");
    expect(feed).toEqual([{ actor: "watchdog", summary: `Delivery to lead failed: ${failed.error}` }]);
  });

  it("refuses a dead-after shorter than a second", async () => {
    const { error } = await project.db.rpc("requeue_deliveries_of_dead_executors", { p_dead_after: "10 milliseconds" });
    expect(error?.code).toBe("22023");
  });
});
