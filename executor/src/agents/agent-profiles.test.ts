import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Database, Json } from "@mission-control/shared/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERBOSITY_INSTRUCTIONS } from "../context/describe-verbosity.ts";
import type { TMessageRow } from "../db/executor-client.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { repliesTo, sendMessage, waitForDelivery } from "../testing/send-message.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";
import { startFakeOpenAi, type TFakeOpenAi, type TFakeOpenAiRequest } from "../testing/start-fake-openai.ts";
import { buildProviderSettings } from "./build-provider-settings.ts";

let project: TTestProject;
let executor: TExecutor;
let envServer: TFakeOpenAi;
let connectionServer: TFakeOpenAi;
let releaseLock: () => Promise<void>;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("profiles", [
    { agent_key: "nova", display_name: "Nova", provider: "openai_compatible", model: "fake-a", system_prompt: "Prompt one." },
    { agent_key: "echo", display_name: "Echo", provider: null, model: null },
  ]);
  envServer = await startFakeOpenAi(() => ({ status: 200, content: "From the environment connection." }));
  connectionServer = await startFakeOpenAi(() => ({ status: 200, content: "From the project's connection." }));
  const providers = {
    ...buildProviderSettings({}),
    openai_compatible: {
      kind: "openai_compatible",
      baseUrl: envServer.url,
      apiKey: "sk-test-profiles-key-123456",
      retry: { maxAttempts: 1 },
    },
  };
  executor = await startTestExecutor({}, { providers });
});

afterAll(async () => {
  await executor?.stop();
  await envServer?.close();
  await connectionServer?.close();
  await project?.remove();
  await releaseLock?.();
});

async function updateAgent(agentKey: string, fields: Database["public"]["Tables"]["agents"]["Update"]): Promise<void> {
  const { error } = await project.db.from("agents").update(fields).eq("project_id", project.projectId).eq("agent_key", agentKey);
  if (error) throw new Error(`could not update agent ${agentKey}: ${error.message}`);
}

/** Sends a DM and returns the agent's reply once the delivery is processed. */
async function ask(agentKey: string, content: string): Promise<TMessageRow> {
  const message = await sendMessage(project.operator, project.projectId, `DM:${agentKey}`, content);
  await waitForDelivery(project.db, message.id, "processed");
  const [reply] = await repliesTo(project.db, message.id);
  if (!reply) throw new Error("no reply");
  return reply;
}

/** The system message of a request the fake received. */
const systemOf = (body: TFakeOpenAiRequest | undefined) => body?.messages?.find((m) => m.role === "system")?.content ?? "";

type TReplyMetadata = {
  model: string;
  connection_id: string | null;
  effective: { values: Record<string, unknown>; sources: Record<string, string> };
  settings_notes: string[];
};

describe("agent profiles", () => {
  it("uses a changed system prompt, model and verbosity for the next delivery, without a restart", async () => {
    await ask("nova", "First question?");
    const first = envServer.bodies.at(-1);
    expect(first?.model).toBe("fake-a");
    expect(systemOf(first)).toContain("Prompt one.");

    await updateAgent("nova", { system_prompt: "Prompt two.", model: "fake-b", verbosity: "detailed" });
    const reply = await ask("nova", "Second question?");
    const second = envServer.bodies.at(-1);
    expect(second?.model).toBe("fake-b");
    expect(systemOf(second)).toContain("Prompt two.");
    expect(systemOf(second)).not.toContain("Prompt one.");
    expect(systemOf(second)).toContain(VERBOSITY_INSTRUCTIONS.detailed);
    expect(reply.content).toBe("From the environment connection.");
    expect((reply.metadata as TReplyMetadata).effective.values).toMatchObject({ model: "fake-b", verbosity: "detailed" });
  });

  it("puts each verbosity's own instruction into the prompt", async () => {
    for (const verbosity of ["concise", "normal", "detailed"] as const) {
      await updateAgent("nova", { verbosity });
      await ask("nova", `How long is a ${verbosity} answer?`);
      const system = systemOf(envServer.bodies.at(-1));
      expect(system.endsWith(VERBOSITY_INSTRUCTIONS[verbosity]) || system.includes(`${VERBOSITY_INSTRUCTIONS[verbosity]}\n`)).toBe(true);
      for (const other of ["concise", "normal", "detailed"] as const) {
        if (other !== verbosity) expect(system).not.toContain(VERBOSITY_INSTRUCTIONS[other]);
      }
    }
  });

  it("makes the built-in model answer shorter when concise and longer when detailed", async () => {
    const lengths: Record<string, number> = {};
    for (const verbosity of ["concise", "normal", "detailed"] as const) {
      await updateAgent("echo", { verbosity });
      lengths[verbosity] = (await ask("echo", "Can you summarise what we agreed on?")).content.length;
    }
    expect(lengths.concise).toBeLessThan(lengths.normal as number);
    expect(lengths.detailed).toBeGreaterThan(lengths.normal as number);
  });

  it("switches to a provider connection added to the project, with its default model, at the next delivery", async () => {
    const requestsBefore = envServer.requests;
    const inserted = await project.db
      .from("provider_connections")
      .insert({
        project_id: project.projectId,
        name: "Local fake",
        kind: "openai_compatible",
        base_url: connectionServer.url,
        keyless: true,
        default_model: "connection-model",
      })
      .select("id")
      .single();
    if (inserted.error) throw new Error(inserted.error.message);
    await updateAgent("nova", { provider: "connection", provider_connection_id: inserted.data.id, model: null });
    const reply = await ask("nova", "Which model answers now?");
    expect(reply.content).toBe("From the project's connection.");
    expect(connectionServer.bodies.at(-1)?.model).toBe("connection-model");
    expect(envServer.requests).toBe(requestsBefore);
    const metadata = reply.metadata as TReplyMetadata;
    expect(metadata.connection_id).toBe(inserted.data.id);
    expect(metadata.effective.sources).toMatchObject({ provider: "agent", provider_connection_id: "agent", model: "built_in" });
  });

  it("streams a CLI agent's output into its status while it runs, and answers with what it printed", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "mc-cli-agent-"));
    const script = path.join(dir, "agent.mjs");
    const go = path.join(dir, "go");
    // Prints a line, then waits until the test saw it in the agent's status (and wrote the go file).
    await fs.writeFile(
      script,
      `import fs from "node:fs";
process.stdin.resume();
process.stdin.on("end", async () => {
  process.stdout.write("Reading the repository\\n");
  while (!fs.existsSync(${JSON.stringify(go)})) await new Promise((resolve) => setTimeout(resolve, 20));
  process.stdout.write("Done: the CLI agent answered.\\n");
});
`,
    );
    const inserted = await project.db
      .from("provider_connections")
      .insert({
        project_id: project.projectId,
        name: "Local CLI",
        kind: "cli",
        cli_command: `"${process.execPath}" "${script}"`,
        cli_timeout_seconds: 30,
      })
      .select("id")
      .single();
    if (inserted.error) throw new Error(inserted.error.message);
    await updateAgent("echo", { provider: "connection", provider_connection_id: inserted.data.id, model: null });
    const message = await sendMessage(project.operator, project.projectId, "DM:echo", "What is in the repository?");
    const statusOf = async () =>
      (
        await project.db
          .from("agent_status")
          .select("status, current_action")
          .eq("agent_id", project.agentIds.echo as string)
          .single()
      ).data;
    await waitFor(
      "the CLI agent's output in its status",
      async () => (await statusOf())?.current_action === "Local CLI: Reading the repository",
    );
    await fs.writeFile(go, "");
    await waitForDelivery(project.db, message.id, "processed");
    const [reply] = await repliesTo(project.db, message.id);
    expect(reply?.content).toContain("Done: the CLI agent answered.");
    expect((reply?.metadata as TReplyMetadata | undefined)?.connection_id).toBe(inserted.data.id);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("resolves project defaults, then the agent, then the message's override, and records each value's source on the reply", async () => {
    const defaults = await project.db.from("project_settings").insert({
      project_id: project.projectId,
      key: "agent_defaults",
      value: { temperature: 0.7, max_output_tokens: 300, verbosity: "concise" },
    });
    if (defaults.error) throw new Error(defaults.error.message);
    await updateAgent("nova", {
      provider: "openai_compatible",
      provider_connection_id: null,
      model: "fake-c",
      verbosity: null,
      temperature: 0.4,
    });
    // A per-run override travels on the message (metadata.settings_override); one invalid field is ignored with a note.
    const message = await insertMessage("nova", "Use the override.", { settings_override: { temperature: 0.1 } });
    await waitForDelivery(project.db, message.id, "processed");
    const [reply] = await repliesTo(project.db, message.id);
    const body = envServer.bodies.at(-1);
    expect(body).toMatchObject({ model: "fake-c", temperature: 0.1, max_tokens: 300 });
    expect(systemOf(body)).toContain(VERBOSITY_INSTRUCTIONS.concise);
    const metadata = reply?.metadata as TReplyMetadata;
    expect(metadata.effective.values).toMatchObject({
      provider: "openai_compatible",
      model: "fake-c",
      temperature: 0.1,
      max_output_tokens: 300,
      verbosity: "concise",
    });
    expect(metadata.effective.sources).toMatchObject({
      provider: "agent",
      model: "agent",
      temperature: "run",
      max_output_tokens: "project",
      verbosity: "project",
      max_context_tokens: "built_in",
    });

    const invalid = await insertMessage("nova", "Use a broken override.", { settings_override: { temperature: 9 } });
    await waitForDelivery(project.db, invalid.id, "processed");
    const [second] = await repliesTo(project.db, invalid.id);
    expect(envServer.bodies.at(-1)?.temperature).toBe(0.4);
    expect((second?.metadata as TReplyMetadata | undefined)?.settings_notes).toEqual([
      "Ignored this message's settings override: temperature must be between 0 and 2",
    ]);
  });
});

/** Writes a message with metadata and its delivery directly (the dashboard's send_chat_message sets no metadata). */
async function insertMessage(agentKey: string, content: string, metadata: { [key: string]: Json }): Promise<TMessageRow> {
  const thread = await project.db
    .from("project_chat_threads")
    .select("id")
    .eq("project_id", project.projectId)
    .eq("thread_key", `DM:${agentKey}`)
    .single();
  if (thread.error) throw new Error(thread.error.message);
  const message = await project.db
    .from("project_chat_messages")
    .insert({
      id: crypto.randomUUID(),
      project_id: project.projectId,
      thread_id: thread.data.id,
      author_type: "user",
      author_user_id: project.operator.userId,
      target_agent_keys: [agentKey],
      content,
      metadata,
    })
    .select("*")
    .single();
  if (message.error) throw new Error(message.error.message);
  const delivery = await project.db
    .from("chat_delivery_queue")
    .insert({ project_id: project.projectId, message_id: message.data.id, agent_key: agentKey });
  if (delivery.error) throw new Error(delivery.error.message);
  return message.data;
}
