import crypto from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createControlApiClient, type TControlApiClient } from "@mission-control/shared/control-api";
import { quote } from "shell-quote";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptProviderKey } from "../keys/decrypt-provider-key.ts";
import { createKek } from "../keys/provider-keks.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { createTestProject, holdExecutorLock, stackInfo, startTestExecutor, type TTestProject } from "../testing/stack-fixtures.ts";
import { startFakeAnthropic } from "../testing/start-fake-anthropic.ts";
import { sendJson, startFakeServer, type TFakeServer } from "../testing/start-fake-server.ts";

const kekText = crypto.randomBytes(32).toString("base64");
const kek = createKek(kekText);
const OPENAI_KEY = "sk-test-openai-4242abcd";
const ANTHROPIC_KEY = "sk-ant-test-9999wxyz";

/** A CLI agent: answers "OK, read N characters" to its stdin, or fails with stderr when asked to. */
const CLI_SCRIPT = `
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  if (process.argv[2] === "fail") { process.stderr.write("cannot log in: run setup first\\n"); process.exit(2); }
  process.stdout.write("OK, read " + input.length + " characters: " + input.trim());
});
`;

let project: TTestProject;
let executor: TExecutor;
let client: TControlApiClient;
let releaseLock: () => Promise<void>;
let openai: TFakeServer;
let anthropic: TFakeServer;
let scratch: string;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), "mc-provider-routes-"));
  await fs.writeFile(path.join(scratch, "agent.mjs"), CLI_SCRIPT);
  project = await createTestProject("provider-routes", [{ agent_key: "lead", display_name: "Lead" }]);
  executor = await startTestExecutor({
    REALTIME_WAKEUPS: "false",
    POLL_INTERVAL_MS: "60000",
    PROVIDER_KEY_ENCRYPTION_KEY: kekText,
    WORKSPACE_DIR: path.join(scratch, "workspace"),
  });
  client = createControlApiClient({ baseUrl: executor.controlApiUrl });
  // An OpenAI-compatible server that knows one key and one model, like the real ones.
  openai = await startFakeServer((request, res) => {
    const body = request.body as { model?: string };
    if (request.headers.authorization !== `Bearer ${OPENAI_KEY}`) {
      sendJson(res, 401, {
        error: { message: "Incorrect API key provided: sk-tes***abcd.", type: "invalid_request_error", code: "invalid_api_key" },
      });
    } else if (body.model !== "gpt-4o-mini") {
      sendJson(res, 404, {
        error: { message: `The model \`${body.model}\` does not exist or you do not have access to it.`, code: "model_not_found" },
      });
    } else {
      sendJson(res, 200, {
        id: "chatcmpl-1",
        model: "gpt-4o-mini-2024-07-18",
        choices: [{ index: 0, message: { role: "assistant", content: "OK" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 12, completion_tokens: 1 },
      });
    }
  });
  anthropic = await startFakeAnthropic({ apiKey: ANTHROPIC_KEY, models: ["claude-sonnet-4-0"], reply: "OK." });
});

afterAll(async () => {
  await executor?.stop();
  await openai?.close();
  await anthropic?.close();
  await project?.remove();
  await releaseLock?.();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

/** Adds a connection the way the dashboard does: the operator inserts the row under RLS. */
async function addConnection(row: Record<string, unknown>): Promise<string> {
  const inserted = await project.operator.client
    .from("provider_connections")
    .insert({ project_id: project.projectId, name: `conn-${crypto.randomUUID().slice(0, 8)}`, ...row })
    .select("id")
    .single();
  if (inserted.error) throw new Error(`could not add the connection: ${inserted.error.message}`);
  return (inserted.data as { id: string }).id;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const openAiConnection = (extra: Record<string, unknown> = {}) =>
  addConnection({ kind: "openai_compatible", base_url: `${openai.url}/v1`, default_model: "gpt-4o-mini", ...extra });

const post = (url: string, body: string, token: string) =>
  fetch(`${executor.controlApiUrl}${url}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body,
  });

describe("POST /api/providers/:connectionId/key", () => {
  it("stores an operator's key encrypted: REST shows only its last four characters, the secret row a v1 ciphertext", async () => {
    const connectionId = await openAiConnection();
    const answer = await client.setProviderKey({ accessToken: project.operator.token, connectionId, apiKey: `  ${OPENAI_KEY} ` });
    expect(answer).toEqual({ connection_id: connectionId, key_last4: "abcd" });

    // What the browser can read, as raw REST text: the last four characters and nothing more.
    const s = stackInfo();
    const raw = await fetch(`${s.url}/rest/v1/provider_connections?select=*&id=eq.${connectionId}`, {
      headers: { apikey: s.anonKey, authorization: `Bearer ${project.operator.token}` },
    });
    const text = await raw.text();
    expect(raw.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject([{ id: connectionId, key_last4: "abcd", key_updated_at: expect.any(String) }]);
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).not.toContain("v1.");
    const secretsAsMember = await project.operator.client.from("provider_connection_secrets").select("*").eq("connection_id", connectionId);
    expect(secretsAsMember.error?.code).toBe("42501");

    const stored = await project.db.from("provider_connection_secrets").select("*").eq("connection_id", connectionId).single();
    expect(stored.data?.project_id).toBe(project.projectId);
    expect(stored.data?.ciphertext).toMatch(new RegExp(`^v1\\.${kek.id}\\.`));
    expect(stored.data?.ciphertext).not.toContain(OPENAI_KEY);
    expect(decryptProviderKey(stored.data?.ciphertext ?? "", { keks: [kek], aad: connectionId })).toBe(OPENAI_KEY);
  });

  it("removes the stored key when sent null", async () => {
    const connectionId = await openAiConnection();
    await client.setProviderKey({ accessToken: project.owner.token, connectionId, apiKey: OPENAI_KEY });
    expect(await client.setProviderKey({ accessToken: project.owner.token, connectionId, apiKey: null })).toEqual({
      connection_id: connectionId,
      key_last4: null,
    });
    const secret = await project.db.from("provider_connection_secrets").select("connection_id").eq("connection_id", connectionId);
    expect(secret.data).toEqual([]);
    const row = await project.db.from("provider_connections").select("key_last4").eq("id", connectionId).single();
    expect(row.data?.key_last4).toBeNull();
  });

  it("refuses a viewer with 403, an unknown connection with 404 and an invalid body with 400", async () => {
    const connectionId = await openAiConnection();
    await expect(client.setProviderKey({ accessToken: project.viewer.token, connectionId, apiKey: OPENAI_KEY })).rejects.toMatchObject({
      code: "forbidden",
      details: { status: 403 },
    });
    await expect(
      client.setProviderKey({ accessToken: project.operator.token, connectionId: crypto.randomUUID(), apiKey: OPENAI_KEY }),
    ).rejects.toMatchObject({ code: "not_found", details: { status: 404 } });
    const short = await post(`/api/providers/${connectionId}/key`, JSON.stringify({ api_key: "abc" }), project.operator.token);
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ error: { code: "invalid_input", message: expect.stringContaining("too short") } });
    const badId = await post("/api/providers/42/key", JSON.stringify({ api_key: OPENAI_KEY }), project.operator.token);
    expect(badId.status).toBe(400);
    const secret = await project.db.from("provider_connection_secrets").select("connection_id").eq("connection_id", connectionId);
    expect(secret.data).toEqual([]);
  });

  it("refuses with 409 and says how to make a key-encryption key when the executor has none", async () => {
    const bare = await startTestExecutor({ REALTIME_WAKEUPS: "false", POLL_INTERVAL_MS: "60000" });
    try {
      const connectionId = await openAiConnection();
      const bareClient = createControlApiClient({ baseUrl: bare.controlApiUrl });
      await expect(
        bareClient.setProviderKey({ accessToken: project.operator.token, connectionId, apiKey: OPENAI_KEY }),
      ).rejects.toMatchObject({
        code: "conflict",
        details: expect.objectContaining({ status: 409 }),
        message: expect.stringMatching(/no PROVIDER_KEY_ENCRYPTION_KEY.*openssl rand -base64 32/),
      });
      const secret = await project.db.from("provider_connection_secrets").select("connection_id").eq("connection_id", connectionId);
      expect(secret.data).toEqual([]);
    } finally {
      await bare.stop();
    }
  });
});

describe("POST /api/providers/:connectionId/test", () => {
  it("asks an OpenAI-compatible server for one short answer with the stored key", async () => {
    const connectionId = await openAiConnection();
    await client.setProviderKey({ accessToken: project.operator.token, connectionId, apiKey: OPENAI_KEY });
    const before = openai.requests.length;
    const answer = await client.testProvider({ accessToken: project.operator.token, connectionId });
    expect(answer).toMatchObject({ ok: true, model: "gpt-4o-mini-2024-07-18", reply: "OK", latency_ms: expect.any(Number) });
    expect(answer.message).toMatch(/answered with model gpt-4o-mini-2024-07-18 in \d+ ms/);
    const request = openai.requests[before];
    expect(request?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(request?.body).toMatchObject({
      model: "gpt-4o-mini",
      max_tokens: 16,
      messages: [{ role: "user", content: "Reply with the word OK." }],
    });
  });

  it("says the key was refused on a 401, without echoing the key", async () => {
    const connectionId = await openAiConnection();
    await client.setProviderKey({ accessToken: project.operator.token, connectionId, apiKey: "sk-wrong-key-00000000" });
    const answer = await client.testProvider({ accessToken: project.operator.token, connectionId });
    expect(answer).toMatchObject({ ok: false, reply: null });
    expect(answer.message).toMatch(/^401: the key was refused\. Set it again/);
    expect(answer.message).not.toContain("sk-wrong-key-00000000");
  });

  it("names an unknown model", async () => {
    const connectionId = await openAiConnection();
    await client.setProviderKey({ accessToken: project.operator.token, connectionId, apiKey: OPENAI_KEY });
    const answer = await client.testProvider({ accessToken: project.operator.token, connectionId, model: "gpt-nope" });
    expect(answer).toMatchObject({ ok: false, model: "gpt-nope" });
    expect(answer.message).toMatch(/^404: unknown model "gpt-nope", or a wrong base URL\..*does not exist/);
  });

  it("says the host is unreachable when nothing listens at the base URL", async () => {
    const connectionId = await addConnection({
      kind: "openai_compatible",
      base_url: `http://127.0.0.1:${await closedPort()}/v1`,
      keyless: true,
      default_model: "llama3",
    });
    const answer = await client.testProvider({ accessToken: project.operator.token, connectionId });
    expect(answer.ok).toBe(false);
    expect(answer.message).toMatch(/^Unreachable host\. Cannot reach .*check that the server is running/);
  });

  it("explains a connection with no key and no default model before calling anything", async () => {
    const noKey = await openAiConnection();
    expect(await client.testProvider({ accessToken: project.operator.token, connectionId: noKey })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/has no API key: set one with "Set key"/),
    });
    const noModel = await addConnection({ kind: "openai_compatible", base_url: `${openai.url}/v1`, keyless: true });
    expect(await client.testProvider({ accessToken: project.operator.token, connectionId: noModel })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/has no default model/),
    });
  });

  it("tests an Anthropic connection: answer, refused key and unknown model", async () => {
    const good = await addConnection({ kind: "anthropic", base_url: anthropic.url, default_model: "claude-sonnet-4-0" });
    await client.setProviderKey({ accessToken: project.operator.token, connectionId: good, apiKey: ANTHROPIC_KEY });
    const answer = await client.testProvider({ accessToken: project.operator.token, connectionId: good });
    expect(answer).toMatchObject({ ok: true, model: "claude-sonnet-4-0", reply: "OK." });
    expect(anthropic.requests.at(-1)?.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(anthropic.requests.at(-1)?.body).toMatchObject({ max_tokens: 16 });

    const unknown = await client.testProvider({ accessToken: project.operator.token, connectionId: good, model: "claude-nope" });
    expect(unknown.message).toMatch(/^404: unknown model "claude-nope".*model: claude-nope/);

    const refused = await addConnection({ kind: "anthropic", base_url: anthropic.url, default_model: "claude-sonnet-4-0" });
    await client.setProviderKey({ accessToken: project.operator.token, connectionId: refused, apiKey: "sk-ant-wrong-000000" });
    const answer401 = await client.testProvider({ accessToken: project.operator.token, connectionId: refused });
    expect(answer401).toMatchObject({ ok: false });
    expect(answer401.message).toMatch(/^401: the key was refused\..*invalid x-api-key/);
  });

  it("runs a CLI agent in the workspace with the test prompt, and reports its failure in words", async () => {
    const script = path.join(scratch, "agent.mjs");
    const ok = await addConnection({ kind: "cli", cli_command: quote([process.execPath, script]), cli_timeout_seconds: 20 });
    const answer = await client.testProvider({ accessToken: project.operator.token, connectionId: ok });
    expect(answer).toMatchObject({ ok: true, model: "cli", reply: "OK, read 23 characters: Reply with the word OK." });

    const failing = await addConnection({ kind: "cli", cli_command: `${quote([process.execPath, script])} fail` });
    const failure = await client.testProvider({ accessToken: project.operator.token, connectionId: failing });
    expect(failure).toMatchObject({ ok: false, reply: null });
    expect(failure.message).toMatch(/exited with code 2; the end of its error output: "cannot log in: run setup first"/);
  });

  it("refuses a viewer with 403 and an unknown connection with 404", async () => {
    const connectionId = await openAiConnection();
    await expect(client.testProvider({ accessToken: project.viewer.token, connectionId })).rejects.toMatchObject({
      code: "forbidden",
      details: { status: 403 },
    });
    await expect(client.testProvider({ accessToken: project.operator.token, connectionId: crypto.randomUUID() })).rejects.toMatchObject({
      code: "not_found",
      details: { status: 404 },
    });
  });
});

describe("POST /api/agents/provision", () => {
  it("applies an operator's queued agent change at once and answers with its status", async () => {
    const requestId = crypto.randomUUID();
    const queued = await project.operator.client.rpc("request_agent_provision", {
      p_id: requestId,
      p_project_id: project.projectId,
      p_action: "create",
      p_agent_key: "builder",
      p_profile: { agent_key: "builder", display_name: "Builder" },
    });
    expect(queued.error).toBeNull();
    await expect(client.provisionAgent({ accessToken: project.viewer.token, requestId })).rejects.toMatchObject({
      code: "forbidden",
      details: { status: 403 },
    });
    const answer = await client.provisionAgent({ accessToken: project.operator.token, requestId });
    expect(answer).toMatchObject({ request_id: requestId, status: "applied", agent_id: expect.any(String), error: null });
    const agent = await project.db
      .from("agents")
      .select("agent_key, display_name")
      .eq("id", answer.agent_id ?? "")
      .single();
    expect(agent.data).toEqual({ agent_key: "builder", display_name: "Builder" });
  });

  it("answers 404 for an unknown request and 400 for a body without a request id", async () => {
    await expect(client.provisionAgent({ accessToken: project.operator.token, requestId: crypto.randomUUID() })).rejects.toMatchObject({
      code: "not_found",
      details: { status: 404 },
    });
    const res = await post("/api/agents/provision", JSON.stringify({ id: "x" }), project.operator.token);
    expect(res.status).toBe(400);
  });
});
