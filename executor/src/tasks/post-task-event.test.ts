import http from "node:http";
import type { AddressInfo } from "node:net";
import { createControlApiClient } from "@mission-control/shared/control-api";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TExecutor } from "../runtime/start-executor.ts";
import { insertTask } from "../testing/proposal-fixtures.ts";
import { createTestProject, holdExecutorLock, stackInfo, startTestExecutor, type TTestProject } from "../testing/stack-fixtures.ts";
import { postTaskEvent } from "./post-task-event.ts";

let project: TTestProject;
let executor: TExecutor;
let taskId: string;
let releaseLock: () => Promise<void>;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("task-events", [{ agent_key: "builder", display_name: "Builder" }]);
  executor = await startTestExecutor({ REALTIME_WAKEUPS: "false", POLL_INTERVAL_MS: "60000" });
  taskId = await insertTask(project.db, project.projectId, "Ship it");
});

afterAll(async () => {
  await executor?.stop();
  await project?.remove();
  await releaseLock?.();
});

const eventsOf = async (id: string) => {
  const { data, error } = await project.db.from("task_events").select("*").eq("id", id);
  if (error) throw new Error(error.message);
  return data;
};
/** Sends a body as given (malformed on purpose where a test says so), to see the server refuse it. */
const post = (body: unknown, key: string | null = stackInfo().serviceRoleKey, task = taskId) =>
  fetch(`${executor.controlApiUrl}/api/tasks/${task}/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });

describe("POST /api/tasks/:taskId/events", () => {
  it("writes an agent update to the task timeline, authored by the agent, once per id", async () => {
    const id = crypto.randomUUID();
    const event = {
      id,
      kind: "agent_update" as const,
      author_agent_key: "builder",
      content: "Started on the build",
      metadata: { step: 1 },
    };
    const client = createControlApiClient({ baseUrl: executor.controlApiUrl });
    const input = { serviceRoleKey: stackInfo().serviceRoleKey, taskId, event };
    const first = await client.postTaskEvent(input);
    expect(first).toMatchObject({
      duplicate: false,
      event: { id, task_id: taskId, kind: "agent_update", author_type: "agent", author_agent_key: "builder" },
    });
    const again = await client.postTaskEvent(input);
    expect(again).toMatchObject({ duplicate: true, event: { id } });
    expect(await eventsOf(id)).toEqual([
      expect.objectContaining({ content: "Started on the build", metadata: { step: 1 }, project_id: project.projectId }),
    ]);
  });

  it("refuses callers without the service role key, strangers to the project, unknown tasks and other kinds", async () => {
    const body = { kind: "output_added" as const, author_agent_key: "builder", content: "report.pdf" };
    const client = createControlApiClient({ baseUrl: executor.controlApiUrl });
    const postAs = (serviceRoleKey: string, event = body, task = taskId) => client.postTaskEvent({ serviceRoleKey, taskId: task, event });
    expect((await post(body, null)).status).toBe(401);
    const refused = (code: string, status: number) => ({ code, details: { status } });
    await expect(postAs(stackInfo().anonKey)).rejects.toMatchObject(refused("unauthorized", 401));
    await expect(postAs(project.operator.token)).rejects.toMatchObject(refused("unauthorized", 401));
    await expect(postAs(stackInfo().serviceRoleKey, { ...body, author_agent_key: "intruder" })).rejects.toMatchObject(
      refused("forbidden", 403),
    );
    await expect(postAs(stackInfo().serviceRoleKey, body, crypto.randomUUID())).rejects.toMatchObject(refused("not_found", 404));
    const comment = await post({ ...body, kind: "comment" });
    expect(comment.status).toBe(400);
    expect(await comment.json()).toMatchObject({ error: { code: "invalid_input", message: expect.stringContaining("kind") } });
  });
});

describe("postTaskEvent", () => {
  const deps = (controlApiUrl: string | null) => ({
    controlApiUrl,
    serviceRoleKey: stackInfo().serviceRoleKey,
    db: project.db,
    timeoutMs: 2_000,
  });

  it("writes straight to task_events, saying nothing above debug, once the executor's own Control API has closed", async () => {
    const lines: { level: number; msg: string }[] = [];
    const log = pino({ level: "trace" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const written = await postTaskEvent({ ...deps(null), log }, taskId, {
      kind: "agent_update",
      author_agent_key: "builder",
      content: "Written while the executor stops",
    });
    expect(written.via).toBe("database");
    expect(await eventsOf(written.event.id)).toEqual([expect.objectContaining({ content: "Written while the executor stops" })]);
    expect(lines.filter((line) => line.level > 20)).toEqual([]);
  });

  it("goes through the Control API when it is up", async () => {
    const written = await postTaskEvent(deps(executor.controlApiUrl), taskId, {
      kind: "output_added",
      author_agent_key: "builder",
      content: "Build log attached",
    });
    expect(written.via).toBe("control_api");
    expect(await eventsOf(written.event.id)).toEqual([expect.objectContaining({ kind: "output_added", author_agent_key: "builder" })]);
  });

  it("writes straight to task_events when the Control API is down", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const written = await postTaskEvent(deps(`http://127.0.0.1:${port}`), taskId, {
      kind: "agent_update",
      author_agent_key: "builder",
      content: "Executor API was down, still recorded",
    });
    expect(written.via).toBe("database");
    expect(await eventsOf(written.event.id)).toEqual([
      expect.objectContaining({
        task_id: taskId,
        author_type: "agent",
        author_agent_key: "builder",
        content: "Executor API was down, still recorded",
      }),
    ]);
  });

  it("falls back when the Control API answers 5xx, and does not write the same id twice", async () => {
    const failing = http.createServer((_req, res) => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end('{"error":{"code":"control_api_unreachable","message":"shutting down"}}');
    });
    await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
    try {
      const id = crypto.randomUUID();
      const event = { id, kind: "agent_update" as const, author_agent_key: "builder", content: "Once only" };
      const viaDb = await postTaskEvent(deps(`http://127.0.0.1:${(failing.address() as AddressInfo).port}`), taskId, event);
      expect(viaDb.via).toBe("database");
      const viaApi = await postTaskEvent(deps(executor.controlApiUrl), taskId, event);
      expect(viaApi.via).toBe("control_api");
      expect(await eventsOf(id)).toHaveLength(1);
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });

  it("throws the API's refusal instead of falling back", async () => {
    await expect(
      postTaskEvent(deps(executor.controlApiUrl), taskId, { kind: "agent_update", author_agent_key: "intruder", content: "hi" }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
