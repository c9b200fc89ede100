import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TExecutor } from "../runtime/start-executor.ts";
import { repliesTo, sendMessage, waitForDelivery } from "../test-support/send-message.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject } from "../test-support/stack-fixtures.ts";

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

const deliver = (body: unknown, token?: string, extra: Record<string, string> = {}) =>
  fetch(`${executor.controlApiUrl}/api/chat/deliver`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("Control API", () => {
  it("reports database reachability, publication drift, queue depth, both workers and version on /health", async () => {
    const res = await fetch(`${executor.controlApiUrl}/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
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
    const res = await deliver({ message_id: crypto.randomUUID() }, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad");
    expect(res.status).toBe(401);
  });

  it("refuses a viewer of the project with 403", async () => {
    const message = await sendMessage(project.operator, project.projectId, "DM:lead", "viewer tries to push this");
    const res = await deliver({ message_id: message.id }, project.viewer.token);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  it("answers 400 with what is wrong when the body is invalid", async () => {
    const notUuid = await deliver({ message_id: "42" }, project.operator.token);
    expect(notUuid.status).toBe(400);
    expect(await notUuid.json()).toMatchObject({ error: { code: "invalid_input", message: expect.stringContaining("message_id") } });
    const notJson = await deliver("{oops", project.operator.token);
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
  });

  it("answers 404 for a message that does not exist", async () => {
    const res = await deliver({ message_id: crypto.randomUUID() }, project.operator.token);
    expect(res.status).toBe(404);
  });

  it("claims the message's delivery for an operator, answers 202 and replies in the background", async () => {
    const message = await sendMessage(project.operator, project.projectId, "DM:lead", "Deliver this now please");
    const started = performance.now();
    const res = await deliver({ message_id: message.id }, project.operator.token, { origin: "http://localhost:3000" });
    expect(res.status).toBe(202);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    const body = (await res.json()) as { message_id: string; claimed: { id: string; agent_key: string }[] };
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
