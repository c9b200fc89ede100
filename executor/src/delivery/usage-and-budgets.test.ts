import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProviderSettings } from "../agents/build-provider-settings.ts";
import type { TMessageRow } from "../db/executor-client.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { deliveriesOf, repliesTo, sendMessage, waitForDelivery } from "../testing/send-message.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";
import { startFakeOpenAi, type TFakeOpenAi } from "../testing/start-fake-openai.ts";

let project: TTestProject;
let executor: TExecutor;
let server: TFakeOpenAi;
let releaseLock: () => Promise<void>;
/** The fake answers 401 while this is true. */
let refuseKey = false;

const onFake = (model: string) => ({ provider: "openai_compatible", model });

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("budgets", [
    { agent_key: "metered", ...onFake("priced-model") },
    { agent_key: "offline" },
    { agent_key: "capped", ...onFake("capped-model") },
    { agent_key: "warned", ...onFake("warned-model") },
  ]);
  const prices = await project.db
    .from("model_prices")
    .insert({ project_id: project.projectId, model: "priced-model", input_usd_per_mtok: 1, output_usd_per_mtok: 2 });
  if (prices.error) throw new Error(prices.error.message);
  // Usage: 42 input and 7 output tokens per call.
  server = await startFakeOpenAi(() =>
    refuseKey ? { status: 401, error: "Incorrect API key provided" } : { status: 200, content: "Counted." },
  );
  const providers = {
    ...buildProviderSettings({}),
    openai_compatible: { kind: "openai_compatible", baseUrl: server.url, apiKey: "sk-test-budgets-key-123456", retry: { maxAttempts: 1 } },
  };
  executor = await startTestExecutor({}, { providers });
});

afterAll(async () => {
  await executor?.stop();
  await server?.close();
  await project?.remove();
  await releaseLock?.();
});

const send = (agentKey: string, content = "How much did that cost?") =>
  sendMessage(project.operator, project.projectId, `DM:${agentKey}`, content);

async function callsOf(agentKey: string) {
  const { data, error } = await project.db
    .from("provider_calls")
    .select("*")
    .eq("project_id", project.projectId)
    .eq("agent_key", agentKey)
    .order("created_at");
  if (error) throw new Error(error.message);
  return data;
}

async function activities(kind: string) {
  const { data, error } = await project.db.from("activities").select("summary, ref").eq("project_id", project.projectId).eq("kind", kind);
  if (error) throw new Error(error.message);
  return data;
}

async function addBudget(agentKey: string, fields: { hard_limit: number; soft_ratio: number | null }): Promise<string> {
  const { data, error } = await project.db
    .from("budgets")
    .insert({ project_id: project.projectId, agent_id: project.agentIds[agentKey] as string, period: "day", unit: "tokens", ...fields })
    .select("id")
    .single();
  if (error) throw new Error(error.message);
  return data.id;
}

describe("usage and budgets", () => {
  it("records every provider call with its tokens, model, latency, outcome, cost and settings", async () => {
    const message = await send("metered");
    await waitForDelivery(project.db, message.id, "processed");
    const [reply] = await repliesTo(project.db, message.id);
    const [call] = await callsOf("metered");
    expect(call).toMatchObject({
      agent_id: project.agentIds.metered,
      delivery_id: (await deliveriesOf(project.db, message.id))[0]?.id,
      provider: "openai_compatible",
      connection_id: null,
      model: "priced-model",
      input_tokens: 42,
      output_tokens: 7,
      estimated: false,
      outcome: "ok",
      error: null,
    });
    expect(call?.latency_ms).toBeGreaterThanOrEqual(0);
    // 42 tokens at $1 and 7 tokens at $2 per million.
    expect(Number(call?.cost_usd)).toBeCloseTo(0.000056, 9);
    expect(call?.settings).toMatchObject({ values: { model: "priced-model" }, sources: { model: "agent" } });
    expect((reply?.metadata as { call_id?: string } | undefined)?.call_id).toBe(call?.id);
  });

  it("records built-in model calls too, at no cost, and a failed call with its error", async () => {
    const offline = await send("offline");
    await waitForDelivery(project.db, offline.id, "processed");
    const [builtin] = await callsOf("offline");
    expect(builtin).toMatchObject({ provider: "builtin", model: "builtin-offline", outcome: "ok" });
    expect(builtin?.input_tokens).toBeGreaterThan(0);
    expect(Number(builtin?.cost_usd)).toBe(0);

    refuseKey = true;
    try {
      const refused = await send("metered", "Will this fail?");
      await waitForDelivery(project.db, refused.id, "failed");
      const failed = (await callsOf("metered")).at(-1);
      expect(failed).toMatchObject({ outcome: "error", input_tokens: 0, output_tokens: 0 });
      expect(failed?.error).toMatch(/key/i);
    } finally {
      refuseKey = false;
    }
  });

  it("does not call the provider once a hard budget would be passed, pauses the agent, and answers after the budget is raised and the delivery retried", async () => {
    const budgetId = await addBudget("capped", { hard_limit: 100, soft_ratio: null });
    const requestsBefore = server.requests;
    const message: TMessageRow = await send("capped", "Anything left in the budget?");
    const failed = await waitForDelivery(project.db, message.id, "failed");
    expect(failed.error).toMatch(
      /^Budget exceeded: agent @capped daily token budget 100 \(used 0; this call needs up to [\d,]+\)\. Raise it in Usage → Budgets, then retry\.$/,
    );
    expect(failed.attempts).toBe(1);
    expect(server.requests).toBe(requestsBefore);
    const status = await waitFor("the agent to show paused", async () => {
      const { data } = await project.db
        .from("agent_status")
        .select("status, current_action")
        .eq("agent_id", project.agentIds.capped as string)
        .single();
      return data?.status === "paused" ? data : undefined;
    });
    expect(status.current_action).toMatch(/^Paused: budget exceeded \(agent @capped daily token budget 100/);
    const exceeded = await activities("budget.exceeded");
    expect(exceeded).toHaveLength(1);
    expect(exceeded[0]?.summary).toBe(failed.error);
    expect((await callsOf("capped")).map((c) => c.outcome)).toEqual(["budget_exceeded"]);

    const raised = await project.db.from("budgets").update({ hard_limit: 1_000_000 }).eq("id", budgetId);
    if (raised.error) throw new Error(raised.error.message);
    const retried = await project.operator.client.rpc("retry_chat_delivery", { p_delivery_id: failed.id });
    if (retried.error) throw new Error(retried.error.message);
    await waitForDelivery(project.db, message.id, "processed");
    expect(server.requests).toBe(requestsBefore + 1);
    const [reply] = await repliesTo(project.db, message.id);
    expect(reply?.content).toBe("Counted.");
    expect((await callsOf("capped")).map((c) => c.outcome)).toEqual(["budget_exceeded", "ok"]);
    await waitFor("the agent to be idle again", async () => {
      const { data } = await project.db
        .from("agent_status")
        .select("status")
        .eq("agent_id", project.agentIds.capped as string)
        .single();
      return data?.status === "idle";
    });
  });

  it("posts the soft warning once, however many calls pass the threshold", async () => {
    // Every call reserves more than 1 % of 100,000 tokens (its input and the 1,024-token output limit).
    await addBudget("warned", { hard_limit: 100_000, soft_ratio: 0.01 });
    for (const content of ["One.", "Two.", "Three."]) {
      const message = await send("warned", content);
      await waitForDelivery(project.db, message.id, "processed");
    }
    const warnings = (await activities("budget.warning")).filter((a) => (a.ref as { agent_key?: string }).agent_key === "warned");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.summary).toMatch(/^Budget warning: agent @warned daily token budget 100,000 is 1% used/);
    expect((await callsOf("warned")).map((c) => c.outcome)).toEqual(["ok", "ok", "ok"]);
  });
});
