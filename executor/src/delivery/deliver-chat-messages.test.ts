import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProviderSettings } from "../agents/build-provider-settings.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { deliveriesOf, repliesTo, sendMessage, waitForDelivery } from "../testing/send-message.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";
import { startFakeOpenAi, type TFakeOpenAi } from "../testing/start-fake-openai.ts";

let project: TTestProject;
let executor: TExecutor;
let flaky: TFakeOpenAi;
let rejecting: TFakeOpenAi;
let releaseLock: () => Promise<void>;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("deliver", [
    { agent_key: "lead", display_name: "Lead", system_prompt: "You are Nova, the team lead." },
    { agent_key: "backend", display_name: "Backend" },
    { agent_key: "flaky", display_name: "Flaky", provider: "openai_compatible", model: "fake-model" },
    { agent_key: "broken", display_name: "Broken", provider: "anthropic", model: "claude-test" },
  ]);
  await project.db.from("brain_docs").insert([
    {
      project_id: project.projectId,
      agent_key: null,
      doc_type: "mission",
      title: "Mission",
      content: "Ship the operator chat slice this week.",
    },
    { project_id: project.projectId, agent_key: "lead", doc_type: "notes", title: "Lead notes", content: "Prefer small pull requests." },
  ]);
  // Answers 500 twice, then 200; the provider itself does not retry, so the delivery queue must.
  flaky = await startFakeOpenAi((n) =>
    n <= 2 ? { status: 500, error: "upstream exploded" } : { status: 200, content: "Recovered answer." },
  );
  rejecting = await startFakeOpenAi(() => ({ status: 401, error: "Incorrect API key provided" }));
  const providers = {
    ...buildProviderSettings({}),
    openai_compatible: { kind: "openai_compatible", baseUrl: flaky.url, apiKey: "sk-test-flaky-key-123456", retry: { maxAttempts: 1 } },
    anthropic: { kind: "anthropic", baseUrl: rejecting.url, apiKey: "sk-ant-test-key-123456", retry: { maxAttempts: 1 } },
  };
  executor = await startTestExecutor({}, { providers });
});

afterAll(async () => {
  await executor?.stop();
  await flaky?.close();
  await rejecting?.close();
  await project?.remove();
  await releaseLock?.();
});

describe("chat delivery", () => {
  it("answers a DM with the built-in model and stores usage and the context breakdown", async () => {
    const statuses: string[] = [];
    const leadId = project.agentIds.lead as string;
    const channel = project.operator.client
      .channel(`status-${leadId}`)
      .on("postgres_changes", { event: "UPDATE", schema: "public", table: "agent_status", filter: `agent_id=eq.${leadId}` }, (payload) => {
        statuses.push((payload.new as { status: string }).status);
      });
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status) =>
        status === "SUBSCRIBED" ? resolve() : status === "CHANNEL_ERROR" ? reject(new Error(status)) : undefined,
      ),
    );
    const message = await sendMessage(project.operator, project.projectId, "DM:lead", "What is our plan for this week?");
    const delivery = await waitForDelivery(project.db, message.id, "processed");
    const [reply] = await repliesTo(project.db, message.id);
    expect(reply?.author_agent_key).toBe("lead");
    expect(reply?.content).toMatch(/^\[offline model\] Lead here\./);
    expect(reply?.metadata).toMatchObject({
      model: "builtin-offline",
      provider: "builtin",
      offline: true,
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
      context: { mission: expect.any(Number), docs: expect.any(Number), system_prompt: expect.any(Number), total: expect.any(Number) },
    });
    const metadata = reply?.metadata as { usage: { input_tokens: number }; context: { mission: number; docs: number; total: number } };
    expect(metadata.usage.input_tokens).toBeGreaterThan(10);
    expect(metadata.context.mission).toBeGreaterThan(0);
    expect(metadata.context.docs).toBeGreaterThan(0);
    expect(delivery.attempts).toBe(1);
    expect(delivery.result).toEqual({ reply_message_id: reply?.id });

    await waitFor("the agent to go idle", () => statuses.includes("idle"));
    expect(statuses.indexOf("working")).toBeGreaterThanOrEqual(0);
    expect(statuses.indexOf("working")).toBeLessThan(statuses.lastIndexOf("idle"));
    const { data: status } = await project.db.from("agent_status").select("*").eq("agent_id", leadId).single();
    expect(status).toMatchObject({ status: "idle", last_model: "builtin-offline" });
    expect((status?.context_usage as { total?: number } | undefined)?.total).toBe(metadata.context.total);
    await project.operator.client.removeChannel(channel);
  });

  it("routes a Team Room @mention to the mentioned agent only", async () => {
    const message = await sendMessage(project.operator, project.projectId, "team-room", "@backend can you check the queue indexes?");
    await waitForDelivery(project.db, message.id, "processed");
    const deliveries = await deliveriesOf(project.db, message.id);
    expect(deliveries.map((d) => d.agent_key)).toEqual(["backend"]);
    const replies = await repliesTo(project.db, message.id);
    expect(replies.map((r) => r.author_agent_key)).toEqual(["backend"]);
    expect(replies[0]?.thread_id).toBe(message.thread_id);
  });

  it("puts the earlier conversation into the context of a follow-up", async () => {
    const first = await sendMessage(project.operator, project.projectId, "DM:backend", "Remember the number 7.");
    await waitForDelivery(project.db, first.id, "processed");
    const second = await sendMessage(project.operator, project.projectId, "DM:backend", "Which number did I mention?");
    await waitForDelivery(project.db, second.id, "processed");
    const [firstReply] = await repliesTo(project.db, first.id);
    const [secondReply] = await repliesTo(project.db, second.id);
    const historyOf = (row: typeof firstReply) => (row?.metadata as { context?: { history?: number } } | undefined)?.context?.history;
    expect(historyOf(firstReply)).toBe(0);
    // The first message and its reply: two turns with their per-message overhead.
    expect(historyOf(secondReply)).toBeGreaterThan(20);
  });

  it("retries a provider that fails twice with HTTP 500 and then answers", async () => {
    const message = await sendMessage(project.operator, project.projectId, "DM:flaky", "Are you there?");
    const delivery = await waitForDelivery(project.db, message.id, "processed");
    expect(delivery.attempts).toBe(3);
    expect(flaky.requests).toBe(3);
    const [reply] = await repliesTo(project.db, message.id);
    expect(reply?.content).toBe("Recovered answer.");
    expect(reply?.metadata).toMatchObject({ provider: "openai_compatible", offline: false, usage: { input_tokens: 42, output_tokens: 7 } });
  });

  it("fails a delivery at once with the reason when the provider rejects the key", async () => {
    const message = await sendMessage(project.operator, project.projectId, "DM:broken", "Hello?");
    const delivery = await waitForDelivery(project.db, message.id, "failed");
    expect(delivery.attempts).toBe(1);
    expect(delivery.error).toMatch(/HTTP 401/);
    expect(delivery.error).not.toContain("sk-ant-test-key-123456");
    const { data: source } = await project.db.from("project_chat_messages").select("status").eq("id", message.id).single();
    expect(source?.status).toBe("failed");
    // Status writes are throttled per agent, so the roster catches up within a moment.
    const status = await waitFor("the agent's error status", async () => {
      const { data } = await project.db
        .from("agent_status")
        .select("status, current_action")
        .eq("agent_id", project.agentIds.broken as string)
        .single();
      return data?.status === "error" ? data : undefined;
    });
    expect(status.current_action).toMatch(/HTTP 401/);
  });

  it("fails a Team Room reply at once when the agent reached its posting limit", async () => {
    const limit = (n: number) =>
      project.db
        .from("project_settings")
        .update({ value: { agent_posts_per_hour: n } })
        .eq("project_id", project.projectId)
        .eq("key", "team_room");
    await limit(0);
    try {
      const message = await sendMessage(project.operator, project.projectId, "team-room", "@backend one more thing");
      const delivery = await waitForDelivery(project.db, message.id, "failed");
      expect(delivery.attempts).toBe(1);
      expect(delivery.error).toMatch(/posting limit/);
      expect(await repliesTo(project.db, message.id)).toHaveLength(0);
    } finally {
      await limit(1000);
    }
  });

  it("lets two executors share the queue without answering any message twice", async () => {
    const second = await startTestExecutor();
    try {
      const sent = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          sendMessage(project.operator, project.projectId, i % 2 ? "DM:lead" : "DM:backend", `message ${i}`),
        ),
      );
      const ids = sent.map((m) => m.id);
      await waitFor(
        "200 replies",
        async () => {
          const { count } = await project.db.from("project_chat_messages").select("id", { count: "exact", head: true }).in("reply_to", ids);
          return count === 200 ? count : undefined;
        },
        30_000,
      );
      const { data: deliveries } = await project.db
        .from("chat_delivery_queue")
        .select("status, attempts, claimed_by")
        .in("message_id", ids);
      expect(deliveries).toHaveLength(200);
      expect(deliveries?.every((d) => d.status === "processed" && d.attempts === 1)).toBe(true);
      const byExecutor = new Set(deliveries?.map((d) => d.claimed_by));
      expect([...byExecutor].every((id) => id === executor.executorId || id === second.executorId)).toBe(true);
      const { data: replies } = await project.db.from("project_chat_messages").select("reply_to").in("reply_to", ids);
      expect(new Set(replies?.map((r) => r.reply_to)).size).toBe(200);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
