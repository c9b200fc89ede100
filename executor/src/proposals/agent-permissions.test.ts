import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProviderSettings } from "../agents/build-provider-settings.ts";
import type { TMessageRow } from "../db/executor-client.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { repliesTo, sendMessage, waitForDelivery } from "../testing/send-message.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject } from "../testing/stack-fixtures.ts";
import { startFakeOpenAi, type TFakeOpenAi, type TFakeOpenAiRequest } from "../testing/start-fake-openai.ts";

let project: TTestProject;
let executor: TExecutor;
let server: TFakeOpenAi;
let releaseLock: () => Promise<void>;
/** What the fake model answers next. */
let nextAnswer = "";

const onFake = { provider: "openai_compatible", model: "fake-model" } as const;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("permissions", [
    { agent_key: "writer", ...onFake, tools_enabled: ["edit_doc"], risk_tolerance: "high" },
    { agent_key: "careful", ...onFake, tools_enabled: ["create_task"], risk_tolerance: "low" },
    { agent_key: "steady", ...onFake, tools_enabled: ["create_task"], risk_tolerance: "medium" },
    { agent_key: "bold", ...onFake, tools_enabled: ["create_task"], risk_tolerance: "high" },
  ]);
  server = await startFakeOpenAi(() => ({ status: 200, content: nextAnswer }));
  const providers = {
    ...buildProviderSettings({}),
    openai_compatible: { kind: "openai_compatible", baseUrl: server.url, apiKey: "sk-test-permissions-123456", retry: { maxAttempts: 1 } },
  };
  executor = await startTestExecutor({}, { providers });
});

afterAll(async () => {
  await executor?.stop();
  await server?.close();
  await project?.remove();
  await releaseLock?.();
});

/** A reply proposing a create_task with `risk`. */
const proposing = (risk: string) =>
  `I will track this.\n\n\`\`\`proposal\n${JSON.stringify({
    action_type: "create_task",
    params: { title: `A ${risk} risk task` },
    summary: `Create a ${risk} risk task`,
    risk,
    reversibility: "reversible",
  })}\n\`\`\`\n`;

/** Makes the fake answer `answer` to a DM to `agentKey`, and returns the agent's reply. */
async function reply(agentKey: string, answer: string): Promise<TMessageRow> {
  nextAnswer = answer;
  const message = await sendMessage(project.operator, project.projectId, `DM:${agentKey}`, "Please track the release.");
  await waitForDelivery(project.db, message.id, "processed");
  const [row] = await repliesTo(project.db, message.id);
  if (!row) throw new Error("no reply");
  return row;
}

async function proposalsBy(agentKey: string) {
  const { data, error } = await project.db
    .from("action_proposals")
    .select("id, action_type, risk")
    .eq("project_id", project.projectId)
    .eq("proposed_by_agent_key", agentKey);
  if (error) throw new Error(error.message);
  return data;
}

const systemOf = (body: TFakeOpenAiRequest | undefined) => body?.messages?.find((m) => m.role === "system")?.content ?? "";

describe("agent tools and risk tolerance", () => {
  it("refuses an action outside the agent's tools with the reason in the reply, and proposes nothing", async () => {
    const row = await reply("writer", proposing("low"));
    expect(row.content).toBe(
      "I will track this.\n\n(The proposal in this reply could not be used: @writer may not use create_task (its tools: edit_doc); an operator can enable it on the agent's page. Nothing was proposed.)",
    );
    expect(row.metadata).toMatchObject({ proposal_id: null, proposal_error: expect.stringContaining("may not use create_task") });
    expect(await proposalsBy("writer")).toEqual([]);
  });

  it("tells the agent which actions and risks it may propose", async () => {
    await reply("careful", "Nothing to propose.");
    const system = systemOf(server.bodies.at(-1));
    expect(system).toContain("# Tools");
    expect(system).toContain("in a ```proposal block: create_task.");
    expect(system).toContain("Give each proposal a risk of low;");
  });

  it("refuses a medium-risk proposal from a low-tolerance agent", async () => {
    const row = await reply("careful", proposing("medium"));
    expect(row.content).toContain("@careful may propose risk up to low, and this proposal is medium risk");
    expect(await proposalsBy("careful")).toEqual([]);
  });

  it("turns a medium-risk proposal from a medium-tolerance agent into a card, but refuses a high one", async () => {
    const medium = await reply("steady", proposing("medium"));
    expect(medium.content).toBe("I will track this.");
    expect(await proposalsBy("steady")).toEqual([
      { id: (medium.metadata as { proposal_id: string }).proposal_id, action_type: "create_task", risk: "medium" },
    ]);
    const high = await reply("steady", proposing("high"));
    expect(high.content).toContain("@steady may propose risk up to medium, and this proposal is high risk");
    expect(await proposalsBy("steady")).toHaveLength(1);
  });

  it("lets a high-tolerance agent propose at every risk", async () => {
    for (const risk of ["low", "medium", "high"]) await reply("bold", proposing(risk));
    const risks = (await proposalsBy("bold")).map((p) => p.risk).sort();
    expect(risks).toEqual(["high", "low", "medium"]);
  });
});
