import { createControlApiClient, ZHealthReport } from "@mission-control/shared/control-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TExecutor } from "../runtime/start-executor.ts";
import { repliesTo, sendMessage, waitForDelivery } from "../testing/send-message.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject } from "../testing/stack-fixtures.ts";

let project: TTestProject;
let executor: TExecutor;
let releaseLock: () => Promise<void>;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("control-api", [{ agent_key: "lead", display_name: "Lead" }]);
  // No realtime wake-ups and a slow poll: only the Control API claims, so the test sees exactly what it claimed.
  executor = await startTestExecutor({ REALTIME_WAKEUPS: "false", POLL_INTERVAL_MS: "60000", WEB_ORIGIN: "http://localhost:3000" });
});

afterAll(async () => {
  await executor?.stop();
  await project?.remove();
  await releaseLock?.();
});

/** Sends a body as given (malformed on purpose where a test says so), to see the server refuse it. */
const deliver = (body: unknown, token?: string, extra: Record<string, string> = {}) =>
  fetch(`${executor.controlApiUrl}/api/chat/deliver`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("Control API", () => {
  it("reports database reachability, publication drift, queue depth, both workers and version on /health", async () => {
    const { status, report } = await createControlApiClient({ baseUrl: executor.controlApiUrl }).health();
    expect(status).toBe(200);
    expect(report).toMatchObject({
      status: "ok",
      version: "0.1.0",
      executorId: executor.executorId,
      database: { reachable: true, latencyMs: expect.any(Number) },
      publication: { ok: true, drift: "The supabase_realtime publication matches the realtime registry." },
      queue: { queued: expect.any(Number), inFlight: expect.any(Number), failed: expect.any(Number) },
      worker: { state: "running", inFlight: expect.any(Number), concurrency: 16 },
      approvals: { state: "running", inFlight: expect.any(Number), concurrency: 4 },
      uptimeMs: expect.any(Number),
    });
  });

  it("answers /health with exactly the shared health report: no field missing, mistyped or unknown", async () => {
    const res = await fetch(`${executor.controlApiUrl}/health`);
    const body = await res.json();
    // Parsing drops unknown keys at every level, so equality also proves the executor sends nothing the schema lacks.
    expect(ZHealthReport.parse(body)).toEqual(body);
  });

  it("announces the executor in executor_presence with its version and Control API URL", async () => {
    const { data } = await project.db.from("executor_presence").select("*").eq("id", executor.executorId).single();
    expect(data).toMatchObject({ version: "0.1.0", control_api_url: executor.controlApiUrl, stopped_at: null });
    expect(Date.parse(data?.last_seen_at ?? "")).toBeGreaterThanOrEqual(executor.startedAt.getTime() - 1000);
  });

  it("refuses a delivery request without a token with 401", async () => {
    const res = await deliver({ message_id: crypto.randomUUID() });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized", message: expect.stringContaining("Bearer") } });
  });

  it("refuses a forged token with 401", async () => {
    const client = createControlApiClient({ baseUrl: executor.controlApiUrl });
    await expect(
      client.deliver({ accessToken: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad", messageId: crypto.randomUUID() }),
    ).rejects.toMatchObject({ code: "unauthorized", details: { status: 401 } });
  });

  it("refuses a viewer of the project with 403", async () => {
    const message = await sendMessage(project.operator, project.projectId, "DM:lead", "viewer tries to push this");
    const client = createControlApiClient({ baseUrl: executor.controlApiUrl });
    await expect(client.deliver({ accessToken: project.viewer.token, messageId: message.id })).rejects.toMatchObject({
      code: "forbidden",
      details: { status: 403 },
    });
  });

  it("answers 400 with what is wrong when the body is invalid", async () => {
    const notUuid = await deliver({ message_id: "42" }, project.operator.token);
    expect(notUuid.status).toBe(400);
    expect(await notUuid.json()).toMatchObject({ error: { code: "invalid_input", message: expect.stringContaining("message_id") } });
    const notJson = await deliver("{oops", project.operator.token);
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
  });

  it("answers 400 for a wrong method, and for a malformed proposal id once the token is checked", async () => {
    const get = await fetch(`${executor.controlApiUrl}/api/chat/deliver`);
    expect(get.status).toBe(400);
    expect(await get.json()).toMatchObject({ error: { code: "invalid_input", message: "GET is not allowed here: use POST" } });
    const execute = (headers: Record<string, string>) =>
      fetch(`${executor.controlApiUrl}/api/approvals/42/execute`, { method: "POST", headers });
    expect((await execute({})).status).toBe(401);
    const malformed = await execute({ authorization: `Bearer ${project.operator.token}` });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "invalid_input", message: "42 is not a proposal id (a UUID)" } });
  });

  it("answers 404 for a message that does not exist", async () => {
    const client = createControlApiClient({ baseUrl: executor.controlApiUrl });
    await expect(client.deliver({ accessToken: project.operator.token, messageId: crypto.randomUUID() })).rejects.toMatchObject({
      code: "not_found",
      details: { status: 404 },
    });
  });

  it("claims the message's delivery for an operator, answers 202 and replies in the background", async () => {
    const message = await sendMessage(project.operator, project.projectId, "DM:lead", "Deliver this now please");
    const started = performance.now();
    // Sends the dashboard's Origin and keeps the response, so the CORS header can be checked too.
    const responses: Response[] = [];
    const client = createControlApiClient({
      baseUrl: executor.controlApiUrl,
      fetch: async (url, init) => {
        const res = await fetch(url, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), origin: "http://localhost:3000" },
        });
        responses.push(res);
        return res;
      },
    });
    const body = await client.deliver({ accessToken: project.operator.token, messageId: message.id });
    expect(responses[0]?.status).toBe(202);
    expect(responses[0]?.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(body.message_id).toBe(message.id);
    expect(body.claimed.map((c) => c.agent_key)).toEqual(["lead"]);
    const delivery = await waitForDelivery(project.db, message.id, "processed", 5_000);
    expect(delivery.id).toBe(body.claimed[0]?.id);
    expect(delivery.claimed_by).toBe(executor.executorId);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await repliesTo(project.db, message.id)).toHaveLength(1);
  });

  it("answers a CORS preflight from the dashboard's origin and refuses other origins", async () => {
    const ok = await fetch(`${executor.controlApiUrl}/api/chat/deliver`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(ok.headers.get("access-control-allow-methods")).toContain("POST");
    expect(ok.headers.get("access-control-allow-headers")).toContain("authorization");
    const evil = await fetch(`${executor.controlApiUrl}/api/chat/deliver`, { method: "OPTIONS", headers: { origin: "http://evil.test" } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers 404 with a JSON error for unknown routes", async () => {
    const res = await fetch(`${executor.controlApiUrl}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found", message: expect.stringContaining("/api/nope") } });
  });
});
