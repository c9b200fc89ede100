import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProviderSettings } from "../agents/build-provider-settings.ts";
import type { TMessageRow } from "../db/executor-client.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { repliesTo, sendMessage, waitForDelivery } from "../testing/send-message.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";
import { startFakeOpenAi, type TFakeOpenAi } from "../testing/start-fake-openai.ts";

const TOKEN_VARIABLE = "MC_CHAT_GATE_TRACKER_TOKEN";

let project: TTestProject;
let executor: TExecutor;
let server: TFakeOpenAi;
let releaseLock: () => Promise<void>;
let skillId: string;
/** What the fake model answers next. */
let nextAnswer = "";

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("chat-gate", [
    { agent_key: "planner", provider: "openai_compatible", model: "fake-model", tools_enabled: ["create_task"], risk_tolerance: "high" },
  ]);
  const added = await project.operator.client
    .from("skills")
    .insert({
      project_id: project.projectId,
      key: "task_tracker",
      name: "Task tracker",
      requirements: [{ kind: "env", name: TOKEN_VARIABLE, description: "The tracker's token" }],
      setup_steps: [`export ${TOKEN_VARIABLE}=…`],
      tools: ["create_task"],
    })
    .select("id")
    .single();
  if (added.error) throw new Error(added.error.message);
  skillId = added.data.id;
  server = await startFakeOpenAi(() => ({ status: 200, content: nextAnswer }));
  const providers = {
    ...buildProviderSettings({}),
    openai_compatible: { kind: "openai_compatible", baseUrl: server.url, apiKey: "sk-test-chat-gate-123456", retry: { maxAttempts: 1 } },
  };
  // The interval check never comes during the test: only the start and an edit's wake-up check the skill.
  executor = await startTestExecutor(
    { RUN_PROJECT_IDS: project.projectId, SKILLS_CHECK_INTERVAL_MS: "3600000" },
    { providers, skillsEnv: () => ({}) },
  );
});

afterAll(async () => {
  await executor?.stop();
  await server?.close();
  await project?.remove();
  await releaseLock?.();
});

const proposing = `I will track this.\n\n\`\`\`proposal\n${JSON.stringify({
  action_type: "create_task",
  params: { title: "Track the release" },
  summary: "Create a task to track the release",
  risk: "low",
  reversibility: "reversible",
})}\n\`\`\`\n`;

/** Makes the fake answer `answer` to a DM to the planner, and returns its reply. */
async function reply(answer: string): Promise<TMessageRow> {
  nextAnswer = answer;
  const message = await sendMessage(project.operator, project.projectId, "DM:planner", "Please track the release.");
  await waitForDelivery(project.db, message.id, "processed");
  const [row] = await repliesTo(project.db, message.id);
  if (!row) throw new Error("no reply");
  return row;
}

async function proposals() {
  const { data, error } = await project.db.from("action_proposals").select("id, action_type").eq("project_id", project.projectId);
  if (error) throw new Error(error.message);
  return data;
}

async function verdict(): Promise<{ status: string; checked_at: string } | null> {
  const { data } = await project.db.from("skills_mirror").select("status, checked_at").eq("skill_id", skillId).maybeSingle();
  return data;
}

describe("skills gate proposals made in chat replies", () => {
  it("turns no proposal into a card while its skill is not ready, and says why in the thread", async () => {
    await waitFor("the first skills check", async () => (await verdict())?.status === "needs_setup", 15_000);
    const row = await reply(proposing);
    expect(row.content).toMatch(
      new RegExp(
        `^I will track this\\.\\n\\n\\(The proposal in this reply could not be used: skill "Task tracker" needs setup \\(.*${TOKEN_VARIABLE}.*\\), so create_task cannot be proposed until an operator sets it up on the Skills page\\. Nothing was proposed\\.\\)$`,
      ),
    );
    expect(row.metadata).toMatchObject({ proposal_id: null, proposal_error: expect.stringContaining('skill "Task tracker" needs setup') });
    expect(await proposals()).toEqual([]);
  });

  it("proposes once the operator's edit made the skill ready: the edit is checked again at once", async () => {
    const before = await verdict();
    const edited = await project.operator.client.from("skills").update({ requirements: [] }).eq("id", skillId).select("id");
    expect(edited.data).toHaveLength(1);
    await waitFor(
      "the edited skill's check",
      async () => {
        const now = await verdict();
        return now?.status === "ready" && Date.parse(now.checked_at) > Date.parse(before?.checked_at ?? "");
      },
      15_000,
    );
    const row = await reply(proposing);
    expect(row.content).toBe("I will track this.");
    const proposalId = (row.metadata as { proposal_id: string }).proposal_id;
    expect(await proposals()).toEqual([{ id: proposalId, action_type: "create_task" }]);
  });
});
