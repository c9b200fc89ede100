import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import { readRun, readRunEvents } from "../../testing/run-fixtures.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("chat-runs");
  await sql.query(
    `insert into public.project_settings (project_id, key, value) values ($1, 'labs_features', '{"team_room": true, "dms": true}')`,
    [f.projectId],
  );
  await insertAgent(sql, f.projectId, "lead", { capabilities: ["planning"] });
  await insertAgent(sql, f.projectId, "backend", { capabilities: ["sql", "migrations", "api", "node.js"] });
  await insertAgent(sql, f.projectId, "web", { capabilities: ["react", "css", "api"] });
  await insertAgent(sql, f.projectId, "docs");
  await insertAgent(sql, f.projectId, "retired", { enabled: false, capabilities: ["sql", "migrations", "api", "react"] });
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

interface TSent {
  id: string;
  thread_id: string;
  target_agent_keys: string[];
  metadata: Record<string, unknown>;
}

async function send(threadKey: string, content: string, messageId: string = crypto.randomUUID()) {
  const { data, error } = await f.operator.client.rpc("send_chat_message", {
    p_project_id: f.projectId,
    p_thread_key: threadKey,
    p_content: content,
    p_message_id: messageId,
  });
  return { message: data as TSent | null, error };
}

async function deliveriesOf(messageId: string): Promise<string[]> {
  const { rows } = await sql.query<{ agent_key: string }>(
    "select agent_key from public.chat_delivery_queue where message_id = $1 order by agent_key",
    [messageId],
  );
  return rows.map((r) => r.agent_key);
}

async function runsOfThread(threadId: string): Promise<Array<Record<string, unknown>>> {
  const { rows } = await sql.query<{ run: Record<string, unknown> }>(
    "select to_jsonb(r) as run from public.ai_runs r where r.thread_id = $1 order by r.created_at, r.seq",
    [threadId],
  );
  return rows.map((r) => r.run);
}

async function parse(text: string | null): Promise<unknown> {
  const { rows } = await sql.query("select public.parse_run_command($1) as command", [text]);
  return rows[0]?.command;
}

async function route(text: string): Promise<unknown> {
  const { rows } = await sql.query("select public.route_agent($1, $2) as route", [f.projectId, text]);
  return rows[0]?.route;
}

describe("parse_run_command", () => {
  it.each([
    ["/plan add an index", { command: "plan", agent_key: null, text: "add an index" }],
    ["  /implement @backend: add an index\non tasks", { command: "implement", agent_key: "backend", text: "add an index\non tasks" }],
    ["/test", { command: "test", agent_key: null, text: "" }],
    ["/test @qa", { command: "test", agent_key: "qa", text: "" }],
    ["/cancel @web", { command: "cancel", agent_key: "web", text: "" }],
    ["/handoff @docs write the README part", { command: "handoff", agent_key: "docs", text: "write the README part" }],
    ["/plan @Backend x", { command: "plan", agent_key: null, text: "@Backend x" }],
  ])("reads %j", async (text, expected) => {
    expect(await parse(text)).toEqual(expected);
  });

  it.each([["/deploy now"], ["/planet"], ["/plan@backend"], ["please /plan this"], ["plan it"], [""], [null]])(
    "answers null for %j, an ordinary message",
    async (text) => {
      expect(await parse(text)).toBeNull();
    },
  );
});

describe("route_agent", () => {
  it.each([
    ["Add SQL migrations for the API", { agent_key: "backend", reason: "routed to @backend: sql, migrations, api" }],
    ["The React form needs css work", { agent_key: "web", reason: "routed to @web: react, css" }],
    ["Upgrade node.js.", { agent_key: "backend", reason: "routed to @backend: node.js" }],
    ["mysql tuning and sqlite", { agent_key: "lead", reason: "no capability matched: the lead answers" }],
    ["What is the plan?", { agent_key: "lead", reason: "no capability matched: the lead answers" }],
  ])("routes %j", async (text, expected) => {
    expect(await route(text)).toEqual(expected);
  });

  it("breaks a tie by the lead, then the oldest agent", async () => {
    expect(await route("an api question")).toEqual({ agent_key: "backend", reason: "routed to @backend: api" });
    await sql.query("update public.agents set capabilities = '{planning,api}' where project_id = $1 and agent_key = 'lead'", [f.projectId]);
    expect(await route("an api question")).toEqual({ agent_key: "lead", reason: "routed to @lead: api" });
    await sql.query("update public.agents set capabilities = '{planning}' where project_id = $1 and agent_key = 'lead'", [f.projectId]);
  });

  it("sees only the agents a signed-in caller may read", async () => {
    const mine = await f.viewer.client.rpc("route_agent", { p_project_id: f.projectId, p_text: "sql" });
    expect(mine.data).toEqual({ agent_key: "backend", reason: "routed to @backend: sql" });
    const theirs = await f.outsider.client.rpc("route_agent", { p_project_id: f.projectId, p_text: "sql" });
    expect(theirs.data).toEqual({ agent_key: null, reason: "no enabled agent: enable one on the Agents page" });
  });
});

describe("send_chat_message in the Team Room", () => {
  it("delivers a message that mentions nobody to the agent whose capabilities match, saying why", async () => {
    const { message, error } = await send("team-room", "Can someone add SQL migrations?");
    expect(error).toBeNull();
    expect(message).toMatchObject({ target_agent_keys: ["backend"], metadata: { routed_reason: "routed to @backend: sql, migrations" } });
    expect(await deliveriesOf(message?.id ?? "")).toEqual(["backend"]);
    expect(await runsOfThread(message?.thread_id ?? "")).toEqual([]);
  });

  it("falls back to the lead, and keeps mentions as they were", async () => {
    const plain = await send("team-room", "Good morning");
    expect(plain.message).toMatchObject({
      target_agent_keys: ["lead"],
      metadata: { routed_reason: "no capability matched: the lead answers" },
    });
    const mentioned = await send("team-room", "@web and @docs, a React question");
    expect(mentioned.message).toMatchObject({ target_agent_keys: ["docs", "web"], metadata: {} });
    expect(await deliveriesOf(mentioned.message?.id ?? "")).toEqual(["docs", "web"]);
  });

  it("runs a command instead of chatting: the named agent gets a run in this thread", async () => {
    const messageId = crypto.randomUUID();
    const { message, error } = await send("team-room", "/plan @web: redesign the settings page", messageId);
    expect(error).toBeNull();
    expect(await deliveriesOf(messageId)).toEqual([]);
    const runId = String(message?.metadata.run_id);
    expect(message).toMatchObject({ target_agent_keys: ["web"], metadata: { command: "plan", agent_key: "web" } });
    expect(await readRun(sql, runId)).toMatchObject({
      agent_key: "web",
      mode: "plan",
      origin: "command",
      goal: "redesign the settings page",
      thread_id: message?.thread_id,
      source_message_id: messageId,
      task_id: null,
      requested_by: f.operator.userId,
    });
    const resent = await send("team-room", "/plan @web: redesign the settings page", messageId);
    expect(resent.message?.metadata.run_id).toBe(runId);
    const { rows } = await sql.query("select count(*)::int as c from public.ai_runs where source_message_id = $1", [messageId]);
    expect(rows[0]?.c).toBe(1);
  });

  it("routes a command that names no agent, and records why on the run", async () => {
    const { message } = await send("team-room", "/implement add an index in the sql migrations");
    expect(message?.metadata).toMatchObject({
      command: "implement",
      agent_key: "backend",
      routed_reason: "routed to @backend: sql, migrations",
    });
    const events = await readRunEvents(sql, String(message?.metadata.run_id));
    expect(events[0]).toMatchObject({ kind: "status", data: { to: "queued", routed_reason: "routed to @backend: sql, migrations" } });
  });

  it.each([
    ["/plan", "22023", "Say what to plan: /plan [@agent] <goal>"],
    ["/implement @ghost do it", "PT404", "There is no enabled agent @ghost in this project"],
    ["/plan @retired do it", "PT404", "There is no enabled agent @retired in this project"],
    ["/handoff", "22023", "Name the agent to hand over to: /handoff @agent <note>"],
  ])("refuses %j with %s and stores nothing", async (content, code, text) => {
    const messageId = crypto.randomUUID();
    const { error } = await send("team-room", content, messageId);
    expect(error?.code).toBe(code);
    expect(error?.message).toBe(text);
    const { rows } = await sql.query("select count(*)::int as c from public.project_chat_messages where id = $1", [messageId]);
    expect(rows[0]?.c).toBe(0);
  });
});

describe("send_chat_message in a DM", () => {
  it("keeps a plain DM a chat delivery, and runs a command as the DM's agent", async () => {
    const plain = await send("DM:docs", "How are you?");
    expect(await deliveriesOf(plain.message?.id ?? "")).toEqual(["docs"]);
    expect(await runsOfThread(plain.message?.thread_id ?? "")).toEqual([]);

    const { message } = await send("DM:docs", "/test");
    expect(await deliveriesOf(message?.id ?? "")).toEqual([]);
    expect(await readRun(sql, String(message?.metadata.run_id))).toMatchObject({
      agent_key: "docs",
      mode: "test",
      origin: "command",
      goal: "Run the project's tests",
      thread_id: message?.thread_id,
    });
  });

  it("cancels the thread's active runs with /cancel", async () => {
    const first = await send("DM:web", "/plan first");
    const second = await send("DM:web", "/implement second");
    const other = await send("DM:docs", "/plan elsewhere");
    const { message } = await send("DM:web", "/cancel");
    expect(message?.metadata).toMatchObject({ command: "cancel" });
    expect([...((message?.metadata.cancelled_run_ids as string[] | undefined) ?? [])].sort()).toEqual(
      [String(first.message?.metadata.run_id), String(second.message?.metadata.run_id)].sort(),
    );
    for (const sent of [first, second]) expect((await readRun(sql, String(sent.message?.metadata.run_id)))?.status).toBe("cancelled");
    expect((await readRun(sql, String(other.message?.metadata.run_id)))?.status).toBe("queued");
  });

  it("hands the thread's last run to another agent with /handoff, with the note", async () => {
    const started = await send("DM:backend", "/implement add the index");
    const { message, error } = await send("DM:backend", "/handoff @web the UI part is left");
    expect(error).toBeNull();
    const runs = await runsOfThread(message?.thread_id ?? "");
    expect(runs.map((r) => [r.agent_key, r.mode, r.origin, r.status])).toEqual([
      ["backend", "implement", "command", "cancelled"],
      ["web", "implement", "handoff", "queued"],
    ]);
    expect(runs[0]?.id).toBe(started.message?.metadata.run_id);
    expect(runs[1]).toMatchObject({
      id: message?.metadata.run_id,
      goal: "add the index",
      constraints: "Hand-off note from @backend: the UI part is left",
      participants: ["backend", "web"],
    });
    const events = await readRunEvents(sql, String(runs[1]?.id));
    expect(events.find((e) => e.kind === "handoff")?.data).toEqual({ from: "backend", to: "web", note: "the UI part is left" });
  });

  it("hands a task over when the thread's last run belongs to one, and refuses a thread without runs", async () => {
    await send("DM:lead", "Hello");
    const empty = await send("DM:lead", "/handoff @web take it");
    expect(empty.error?.code).toBe("PT409");
    expect(empty.error?.message).toBe("There is no run in this thread to hand over");

    const taskId = await insertTask(sql, f.projectId, { title: "Chat task" });
    const threadId = (
      await sql.query("select id from public.project_chat_threads where project_id = $1 and thread_key = 'DM:lead'", [f.projectId])
    ).rows[0]?.id;
    await sql.query(
      "insert into public.ai_runs (project_id, agent_key, mode, origin, goal, task_id, thread_id) values ($1, 'lead', 'plan', 'command', 'x', $2, $3)",
      [f.projectId, taskId, threadId],
    );
    const { error } = await send("DM:lead", "/handoff @web take it");
    expect(error).toBeNull();
    const { rows } = await sql.query("select assignee_agent_key from public.tasks where id = $1", [taskId]);
    expect(rows[0]?.assignee_agent_key).toBe("web");
  });
});
