import crypto from "node:crypto";
import type { TProvisionAnswer } from "@mission-control/shared/control-api";
import type { TAgentProfileInput } from "@mission-control/shared/schemas";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TExecutor } from "../runtime/start-executor.ts";
import {
  createTestProject,
  holdExecutorLock,
  startTestExecutor,
  type TTestMember,
  type TTestProject,
  waitFor,
} from "../testing/stack-fixtures.ts";
import { applyProvisionRequest } from "./apply-provision-request.ts";

let project: TTestProject;
let other: TTestProject;
let releaseLock: () => Promise<void>;
const log = pino({ level: "silent" });

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("provision", [{ agent_key: "lead", display_name: "Lead" }]);
  other = await createTestProject("provision-other", []);
});

afterAll(async () => {
  await project?.remove();
  await other?.remove();
  await releaseLock?.();
});

/** Writes a provision request as a member, the way the dashboard does, and returns its id. */
async function request(
  member: TTestMember,
  action: "create" | "update" | "delete",
  agentKey: string,
  profile: Partial<TAgentProfileInput> | Record<string, unknown> = {},
): Promise<string> {
  const id = crypto.randomUUID();
  const { error } = await member.client.rpc("request_agent_provision", {
    p_id: id,
    p_project_id: project.projectId,
    p_action: action,
    p_agent_key: agentKey,
    p_profile: profile,
  });
  if (error) throw new Error(`request_agent_provision failed: ${error.message}`);
  return id;
}

async function requestRow(id: string) {
  const { data, error } = await project.db.from("agent_provision_requests").select("*").eq("id", id).single();
  if (error) throw new Error(error.message);
  return data;
}

async function agent(agentKey: string) {
  const { data, error } = await project.db
    .from("agents")
    .select("*")
    .eq("project_id", project.projectId)
    .eq("agent_key", agentKey)
    .maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

const apply = (id: string): Promise<TProvisionAnswer> =>
  applyProvisionRequest({ db: project.db, executorId: "test-provisioning", log }, id);

describe("agent provisioning", () => {
  it("applies a request written while no executor ran as soon as one starts", async () => {
    const id = await request(project.operator, "create", "backend", {
      agent_key: "backend",
      display_name: "Backend",
      role: "API and database",
      tools_enabled: ["create_task", "create_task"],
      risk_tolerance: "medium",
      capabilities: ["SQL", "api"],
      verbosity: "concise",
    });
    expect((await requestRow(id)).status).toBe("queued");
    const executor: TExecutor = await startTestExecutor({}, { provisionProjectIds: [project.projectId] });
    try {
      const applied = await waitFor("the queued request to be applied", async () => {
        const row = await requestRow(id);
        return row.status === "queued" ? undefined : row;
      });
      expect(applied).toMatchObject({ status: "applied", error: null });
      expect(await agent("backend")).toMatchObject({
        id: applied.agent_id,
        display_name: "Backend",
        role: "API and database",
        tools_enabled: ["create_task"],
        risk_tolerance: "medium",
        capabilities: ["sql", "api"],
        verbosity: "concise",
        provider: null,
        model: null,
      });

      // While it runs, a new request is applied on its realtime wake-up (or the next poll).
      const update = await request(project.operator, "update", "backend", { system_prompt: "Keep migrations small." });
      await waitFor("the update to be applied", async () => (await requestRow(update)).status === "applied");
      expect(await agent("backend")).toMatchObject({
        system_prompt: "Keep migrations small.",
        display_name: "Backend",
        verbosity: "concise",
      });
    } finally {
      await executor.stop();
    }
  });

  it("fails an invalid profile with the zod sentence and creates nothing", async () => {
    const id = await request(project.operator, "create", "broken", { agent_key: "broken", display_name: " ", temperature: 5 });
    const answer = await apply(id);
    expect(answer).toEqual({
      request_id: id,
      status: "failed",
      agent_id: null,
      error: "Invalid agent profile: display_name is required; temperature must be between 0 and 2",
    });
    expect(await requestRow(id)).toMatchObject({ status: "failed", error: answer.error });
    expect(await agent("broken")).toBeNull();
  });

  it("checks an update against the agent's current profile and changes only the fields it names", async () => {
    const tooLarge = await request(project.operator, "update", "lead", { max_output_tokens: 9000, max_context_tokens: 4000 });
    expect((await apply(tooLarge)).error).toBe("Invalid agent profile: max_output_tokens must be smaller than the max context tokens");

    const before = await agent("lead");
    const id = await request(project.operator, "update", "lead", { temperature: 0.9, provider: null });
    expect(await apply(id)).toMatchObject({ status: "applied", agent_id: before?.id, error: null });
    const after = await agent("lead");
    expect(after).toMatchObject({ temperature: 0.9, provider: null, provider_connection_id: null, display_name: before?.display_name });
    expect(after?.system_prompt).toBe(before?.system_prompt);
  });

  it("refuses a provider connection of another project", async () => {
    const foreign = await other.db
      .from("provider_connections")
      .insert({
        project_id: other.projectId,
        name: "Elsewhere",
        kind: "openai_compatible",
        base_url: "http://127.0.0.1:9/v1",
        keyless: true,
      })
      .select("id")
      .single();
    if (foreign.error) throw new Error(foreign.error.message);
    const id = await request(project.operator, "update", "lead", { provider: "connection", provider_connection_id: foreign.data.id });
    expect((await apply(id)).error).toBe(
      `Provider connection ${foreign.data.id} does not belong to this project: pick one from Settings → Providers`,
    );
    expect((await agent("lead"))?.provider_connection_id).toBeNull();
  });

  it("answers an applied request as it is, and refuses an unknown id as not found", async () => {
    const id = await request(project.owner, "delete", "backend");
    expect((await apply(id)).status).toBe("applied");
    expect(await agent("backend")).toBeNull();
    expect(await apply(id)).toMatchObject({ request_id: id, status: "applied" });
    await expect(apply(crypto.randomUUID())).rejects.toMatchObject({ code: "not_found" });
  });
});
