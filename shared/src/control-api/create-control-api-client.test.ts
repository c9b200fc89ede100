import { describe, expect, it } from "vitest";
import { AppError } from "../errors/index.ts";
import { answeredStatusOf, createControlApiClient } from "./create-control-api-client.ts";
import { ZHealthSummary } from "./health-report.ts";

const BASE = "http://exec.test";
const PROPOSAL_ID = "11111111-2222-4333-8444-555555555555";
const MESSAGE_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const TASK_ID = "22222222-3333-4444-8555-666666666666";

const REPORT = {
  status: "ok",
  version: "0.1.0",
  executorId: "exec-1",
  uptimeMs: 1200,
  database: { reachable: true, latencyMs: 1.5 },
  publication: { ok: true, drift: "The supabase_realtime publication matches the realtime registry." },
  queue: { queued: 0, inFlight: 1, failed: 0 },
  worker: { state: "running", inFlight: 1, concurrency: 16 },
  approvals: { state: "running", inFlight: 0, concurrency: 4 },
};

type TCall = { url: string; init: RequestInit | undefined };

/** A fetch that records each call and answers `status` with `body` (a string is sent as is). */
function fakeFetch(status: number, body: unknown, calls: TCall[] = []): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the call should have failed"),
    (err: unknown) => err,
  );

describe("createControlApiClient", () => {
  it("reads /health as the shared report, with 503 meaning the database is down", async () => {
    const calls: TCall[] = [];
    const ok = await createControlApiClient({ baseUrl: `${BASE}/`, fetch: fakeFetch(200, REPORT, calls) }).health();
    expect(ok).toEqual({ status: 200, report: REPORT });
    expect(calls[0]?.url).toBe(`${BASE}/health`);
    expect(calls[0]?.init?.method).toBe("GET");
    const down = { ...REPORT, status: "down", database: { reachable: false, latencyMs: null, error: "connect ECONNREFUSED" } };
    const answer = await createControlApiClient({ baseUrl: BASE, fetch: fakeFetch(503, down) }).health();
    expect(answer).toEqual({ status: 503, report: down });
  });

  it("reads only status and publication with the summary schema, whatever else the report holds", async () => {
    const fetch = fakeFetch(200, { status: "degraded", publication: { ok: false, drift: "public.tasks" }, newField: 1 });
    const answer = await createControlApiClient({ baseUrl: BASE, fetch }).health(ZHealthSummary);
    expect(answer).toEqual({ status: 200, report: { status: "degraded", publication: { ok: false, drift: "public.tasks" } } });
  });

  it("posts a delivery request with the operator's token and returns the 202 answer", async () => {
    const calls: TCall[] = [];
    const body = { message_id: MESSAGE_ID, claimed: [{ id: PROPOSAL_ID, agent_key: "lead", attempts: 1 }] };
    const client = createControlApiClient({ baseUrl: BASE, fetch: fakeFetch(202, body, calls) });
    expect(await client.deliver({ accessToken: "jwt", messageId: MESSAGE_ID })).toEqual(body);
    expect(calls[0]?.url).toBe(`${BASE}/api/chat/deliver`);
    expect(calls[0]?.init?.method).toBe("POST");
    expect(calls[0]?.init?.headers).toEqual({ authorization: "Bearer jwt", "content-type": "application/json" });
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ message_id: MESSAGE_ID });
  });

  it("builds the execute path from the proposal id and sends no body", async () => {
    const calls: TCall[] = [];
    const body = { proposal_id: PROPOSAL_ID, claimed: true, status: "executing" };
    const client = createControlApiClient({ baseUrl: BASE, fetch: fakeFetch(202, body, calls) });
    expect(await client.executeApproval({ accessToken: "jwt", proposalId: PROPOSAL_ID })).toEqual(body);
    expect(calls[0]?.url).toBe(`${BASE}/api/approvals/${PROPOSAL_ID}/execute`);
    expect(calls[0]?.init?.body).toBeUndefined();
  });

  it("tells a new task event (201) from one already written (200)", async () => {
    const event = {
      id: PROPOSAL_ID,
      project_id: PROPOSAL_ID,
      task_id: TASK_ID,
      kind: "agent_update",
      author_type: "agent",
      author_user_id: null,
      author_agent_key: "builder",
      content: "Started",
      metadata: {},
      proposal_id: null,
      legacy_source: null,
      legacy_id: null,
      created_at: "2026-01-01T00:00:00Z",
      seq: 7,
    };
    const input = {
      serviceRoleKey: "service-key",
      taskId: TASK_ID,
      event: { kind: "agent_update" as const, author_agent_key: "builder", content: "Started" },
    };
    const calls: TCall[] = [];
    const created = await createControlApiClient({ baseUrl: BASE, fetch: fakeFetch(201, { event }, calls) }).postTaskEvent(input);
    expect(created).toEqual({ event, duplicate: false });
    expect(calls[0]?.url).toBe(`${BASE}/api/tasks/${TASK_ID}/events`);
    expect(calls[0]?.init?.headers).toMatchObject({ authorization: "Bearer service-key" });
    const again = await createControlApiClient({ baseUrl: BASE, fetch: fakeFetch(200, { event }) }).postTaskEvent(input);
    expect(again.duplicate).toBe(true);
  });

  it("turns an error envelope into an AppError with its code, message and HTTP status", async () => {
    const envelope = { error: { code: "forbidden", message: "Viewers cannot deliver messages: ask an owner for the operator role" } };
    const client = createControlApiClient({ baseUrl: BASE, fetch: fakeFetch(403, envelope) });
    const err = await caught(client.deliver({ accessToken: "jwt", messageId: MESSAGE_ID }));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "forbidden", message: envelope.error.message, details: { status: 403 } });
    expect(answeredStatusOf(err)).toBe(403);
  });

  it("says which HTTP status answered when the body is not an error envelope", async () => {
    const client = createControlApiClient({ baseUrl: BASE, fetch: fakeFetch(404, "no route") });
    const err = await caught(client.executeApproval({ accessToken: "jwt", proposalId: PROPOSAL_ID }));
    expect(err).toMatchObject({ code: "control_api_unreachable", details: { status: 404 } });
    expect((err as Error).message).toMatch(/answered POST \/api\/approvals\/.+\/execute with HTTP 404.*no route/);
  });

  it("refuses an answer that does not match the route's contract", async () => {
    const client = createControlApiClient({ baseUrl: BASE, fetch: fakeFetch(202, { claimed: true }) });
    const err = await caught(client.executeApproval({ accessToken: "jwt", proposalId: PROPOSAL_ID }));
    expect(err).toMatchObject({ code: "control_api_unreachable", details: { status: 202 } });
    expect((err as Error).message).toMatch(/not the answer its contract describes \(proposal_id: .*\)/);
  });

  it("reports a network failure as control_api_unreachable, with no HTTP status", async () => {
    const fetch = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof globalThis.fetch;
    const err = await caught(createControlApiClient({ baseUrl: BASE, fetch }).health());
    expect(err).toMatchObject({
      code: "control_api_unreachable",
      message: expect.stringContaining(`unreachable at ${BASE} (fetch failed)`),
    });
    expect((err as AppError).cause).toBeInstanceOf(TypeError);
    expect(answeredStatusOf(err)).toBeNull();
  });

  it("gives up after timeoutMs and reports the executor as unreachable", async () => {
    // Answers only when the client's signal aborts, so the call ends exactly when the timeout fires.
    const fetch = ((_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof globalThis.fetch;
    const err = await caught(
      createControlApiClient({ baseUrl: BASE, fetch, timeoutMs: 20 }).deliver({ accessToken: "jwt", messageId: MESSAGE_ID }),
    );
    expect(err).toMatchObject({
      code: "control_api_unreachable",
      message: expect.stringContaining("did not answer POST /api/chat/deliver within 20 ms"),
    });
    expect(answeredStatusOf(err)).toBeNull();
  });

  it("refuses to send a request its schema refuses, worded as the server would", async () => {
    const calls: TCall[] = [];
    const client = createControlApiClient({ baseUrl: BASE, fetch: fakeFetch(202, {}, calls) });
    await expect(client.executeApproval({ accessToken: "jwt", proposalId: "42" })).rejects.toMatchObject({
      code: "invalid_input",
      message: "42 is not a proposal id (a UUID)",
    });
    await expect(client.deliver({ accessToken: "jwt", messageId: "42" })).rejects.toMatchObject({
      code: "invalid_input",
      message: "The request body is invalid: message_id: must be the id of a chat message (a UUID)",
    });
    expect(calls).toEqual([]);
  });
});
