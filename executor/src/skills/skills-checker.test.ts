import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createControlApiClient, type TControlApiClient } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAiTools, type TFakeToolServer } from "../providers/testing/index.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";

const TOKEN_VARIABLE = "MC_SKILLS_TEST_TOKEN";
const KIND_VARIABLE = "MC_SKILLS_KIND_VARIABLE";
const PROGRAM = "mc-skills-test-tool";

let project: TTestProject;
let executor: TExecutor;
let client: TControlApiClient;
let workspace: string;
let bin: string;
let fake: TFakeToolServer;
let releaseLock: () => Promise<void>;
let searchSkillId: string;
/** The executor's environment as the skills checker sees it: the test changes it between checks. */
let skillsEnv: NodeJS.ProcessEnv;

type TOpenAiBody = { messages: Array<{ role: string; content: unknown }>; tools?: Array<{ function: { name: string } }> };

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("skills", [
    {
      agent_key: "finder",
      display_name: "Finder",
      capabilities: [],
      provider: "openai_compatible",
      model: "fake-skills",
      tools_enabled: ["read_file", "list_files", "search_text"],
    },
  ]);
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-skills-"));
  bin = await fs.mkdtemp(path.join(os.tmpdir(), "mc-skills-bin-"));
  skillsEnv = { PATH: bin, [TOKEN_VARIABLE]: "present" };
  // The model searches once, then answers; a search it is not offered is refused by the tool loop.
  fake = await startFakeOpenAiTools((request) =>
    (request.body as TOpenAiBody).messages.some((message) => message.role === "tool")
      ? { text: "Searched." }
      : { toolCalls: [{ name: "search_text", arguments: { query: "hello" } }] },
  );
  const added = await project.operator.client
    .from("skills")
    .insert({
      project_id: project.projectId,
      key: "token_search",
      name: "Token search",
      requirements: [{ kind: "env", name: TOKEN_VARIABLE, description: "The search token" }],
      setup_steps: [`export ${TOKEN_VARIABLE}=…`],
      tools: ["search_text"],
    })
    .select("id")
    .single();
  if (added.error) throw new Error(added.error.message);
  searchSkillId = added.data.id;
  executor = await startTestExecutor(
    { WORKSPACE_DIR: workspace, RUN_PROJECT_IDS: project.projectId, SKILLS_CHECK_INTERVAL_MS: "1000" },
    {
      providers: { openai_compatible: { kind: "openai_compatible", baseUrl: fake.baseUrl, apiKey: "sk-test" } },
      skillsEnv: () => skillsEnv,
    },
  );
  client = createControlApiClient({ baseUrl: executor.controlApiUrl });
});

afterAll(async () => {
  await executor?.stop();
  await fake?.close();
  await project?.remove();
  await fs.rm(workspace, { recursive: true, force: true });
  await fs.rm(bin, { recursive: true, force: true });
  await releaseLock?.();
});

async function verdictsByKey(): Promise<Record<string, string>> {
  const skills = await project.db.from("skills").select("id, key").eq("project_id", project.projectId);
  const mirror = await project.db.from("skills_mirror").select("skill_id, status").eq("project_id", project.projectId);
  if (skills.error || mirror.error) throw new Error(skills.error?.message ?? mirror.error?.message);
  const keyOf = new Map(skills.data.map((skill) => [skill.id, skill.key]));
  return Object.fromEntries(mirror.data.map((row) => [keyOf.get(row.skill_id), row.status]));
}

async function addSkill(key: string, requirements: unknown[]): Promise<string> {
  const { data, error } = await project.operator.client
    .from("skills")
    .insert({ project_id: project.projectId, key, name: key, requirements })
    .select("id")
    .single();
  if (error) throw new Error(error.message);
  return data.id;
}

/** Assigns a task to @finder and returns the body of the fake provider's first request of that run. */
async function firstRequestOfRun(title: string): Promise<TOpenAiBody> {
  const { data, error } = await project.db
    .from("tasks")
    .insert({ project_id: project.projectId, title, assignee_agent_key: "finder", status: "assigned" })
    .select("id")
    .single();
  if (error) throw new Error(error.message);
  await waitFor(
    `the run of "${title}" to finish`,
    async () => {
      const runs = await project.db.from("ai_runs").select("status").eq("task_id", data.id);
      return runs.data?.some((run) => run.status === "completed" || run.status === "failed") || undefined;
    },
    20_000,
  );
  const request = fake.requests.find((r) => JSON.stringify(r.body).includes(title));
  if (!request) throw new Error(`no provider request mentions "${title}"`);
  return request.body as TOpenAiBody;
}

const offeredTools = (body: TOpenAiBody) => (body.tools ?? []).map((tool) => tool.function.name);
const systemPrompt = (body: TOpenAiBody) => String(body.messages.find((message) => message.role === "system")?.content ?? "");

describe("skills checker", () => {
  it("checks every skill of its projects when it starts", async () => {
    const verdicts = await waitFor(
      "the first check of every skill",
      async () => {
        const byKey = await verdictsByKey();
        return Object.keys(byKey).length === 8 ? byKey : undefined;
      },
      15_000,
    );
    expect(verdicts).toMatchObject({
      workspace_reading: "ready",
      provider_builtin: "ready",
      api_call_hosts: "needs_setup",
      test_command: "needs_setup",
      token_search: "ready",
    });
    const { data } = await project.db.from("skills_mirror").select("checked_by").eq("skill_id", searchSkillId).single();
    expect(data?.checked_by).toBe(executor.executorId);
  });

  it("checks each requirement kind on POST /api/skills/:id/check and turns ready once all are met", async () => {
    const skillId = await addSkill("every_kind", [
      { kind: "env", name: KIND_VARIABLE },
      { kind: "program", name: PROGRAM },
      { kind: "file", name: "notes/skill.txt" },
      { kind: "connection", name: "anthropic" },
      { kind: "setting", name: "deploy.target" },
    ]);
    const before = await client.checkSkill({ accessToken: project.operator.token, skillId });
    expect(before.status).toBe("needs_setup");
    expect(before.results.map((result) => [result.kind, result.ok])).toEqual([
      ["env", false],
      ["program", false],
      ["file", false],
      ["connection", false],
      ["setting", false],
    ]);
    expect(before.reasons).toHaveLength(5);

    skillsEnv[KIND_VARIABLE] = "set";
    await fs.writeFile(path.join(bin, PROGRAM), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    await fs.mkdir(path.join(workspace, "notes"), { recursive: true });
    await fs.writeFile(path.join(workspace, "notes/skill.txt"), "ok");
    const connection = await project.db
      .from("provider_connections")
      .insert({ project_id: project.projectId, name: "Local Claude", kind: "anthropic", keyless: true });
    expect(connection.error).toBeNull();
    const setting = await project.db
      .from("project_settings")
      .insert({ project_id: project.projectId, key: "deploy", value: { target: "staging" } });
    expect(setting.error).toBeNull();

    const after = await client.checkSkill({ accessToken: project.viewer.token, skillId });
    expect(after).toMatchObject({ status: "ready", reasons: [] });
    expect(after.results.every((result) => result.ok)).toBe(true);
    const { data } = await project.db.from("skills_mirror").select("status, checked_at").eq("skill_id", skillId).single();
    expect(data?.status).toBe("ready");
    // The same instant (Postgres drops trailing zeros of the fraction, so compare times, not strings).
    expect(Date.parse(data?.checked_at ?? "")).toBe(Date.parse(after.checked_at));
  });

  it("blocks a skill whose file lies outside the workspace", async () => {
    const skillId = await addSkill("outside", [{ kind: "file", name: "../../etc/hosts" }]);
    const verdict = await client.checkSkill({ accessToken: project.operator.token, skillId });
    expect(verdict.status).toBe("blocked");
    expect(verdict.reasons[0]).toContain("outside the workspace");
  });

  it("answers 404 for a skill that does not exist", async () => {
    const missing = client.checkSkill({ accessToken: project.operator.token, skillId: "00000000-0000-4000-8000-0000000000aa" });
    await expect(missing).rejects.toBeInstanceOf(AppError);
    await expect(missing).rejects.toMatchObject({ code: "not_found", details: { status: 404 } });
  });

  it("offers a tool while its skill is ready", async () => {
    expect((await verdictsByKey()).token_search).toBe("ready");
    const body = await firstRequestOfRun("Skills run while ready");
    expect(offeredTools(body)).toContain("search_text");
    expect(systemPrompt(body)).not.toContain("Skills not ready");
  });

  it("moves to needs_setup on its own when the variable disappears, and the tool is then withheld and refused", async () => {
    delete skillsEnv[TOKEN_VARIABLE];
    await waitFor(
      "the periodic check to notice the missing variable",
      async () => (await verdictsByKey()).token_search === "needs_setup" || undefined,
      10_000,
    );
    const { data: verdict } = await project.db.from("skills_mirror").select("reasons").eq("skill_id", searchSkillId).single();
    expect(verdict?.reasons[0]).toContain(TOKEN_VARIABLE);

    const title = "Skills run while not ready";
    const body = await firstRequestOfRun(title);
    expect(offeredTools(body)).toEqual(["read_file", "list_files"]);
    expect(systemPrompt(body)).toContain(`Skill "Token search" needs setup: ${TOKEN_VARIABLE} is not set`);
    expect(systemPrompt(body)).toContain("Not available in this run: search_text.");
    // The model called search_text anyway: it was refused, never run.
    const second = fake.requests.filter((r) => JSON.stringify(r.body).includes(title))[1]?.body as TOpenAiBody | undefined;
    const toolAnswer = second?.messages.find((message) => message.role === "tool");
    expect(String(toolAnswer?.content)).toContain("There is no tool named search_text in this run");
  });
});
