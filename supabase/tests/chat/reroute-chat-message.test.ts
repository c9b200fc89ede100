import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, type TMember, type TProjectFixture } from "../../testing/project-fixture.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("reroute");
  await sql.query(
    `insert into public.project_settings (project_id, key, value) values ($1, 'labs_features', '{"team_room": true, "dms": true}')`,
    [f.projectId],
  );
  await insertAgent(sql, f.projectId, "lead", { capabilities: ["planning"] });
  await insertAgent(sql, f.projectId, "backend", { capabilities: ["sql", "migrations"] });
  await insertAgent(sql, f.projectId, "web", { capabilities: ["react", "css"] });
  await insertAgent(sql, f.projectId, "retired", { enabled: false });
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

interface TMessage {
  id: string;
  status: string;
  target_agent_keys: string[];
  metadata: Record<string, unknown> & { rerouted?: { from: string | null; to: string; by: string; at: string } };
  seq: number;
}

interface TDelivery {
  agent_key: string;
  status: string;
  attempts: number;
  error: string | null;
}

async function send(threadKey: string, content: string): Promise<TMessage> {
  const { data, error } = await f.operator.client.rpc("send_chat_message", {
    p_project_id: f.projectId,
    p_thread_key: threadKey,
    p_content: content,
    p_message_id: crypto.randomUUID(),
  });
  if (error) throw new Error(`send_chat_message failed: ${error.message}`);
  return data as TMessage;
}

function reroute(member: TMember, messageId: string, agentKey: string) {
  return member.client.rpc("reroute_chat_message", { p_message_id: messageId, p_agent_key: agentKey });
}

async function deliveriesOf(messageId: string): Promise<TDelivery[]> {
  const { rows } = await sql.query<TDelivery>(
    "select agent_key, status, attempts, error from public.chat_delivery_queue where message_id = $1 order by agent_key",
    [messageId],
  );
  return rows;
}

async function readMessage(messageId: string): Promise<TMessage | undefined> {
  const { rows } = await sql.query<TMessage>(
    "select id, status, target_agent_keys, metadata, seq::int as seq from public.project_chat_messages where id = $1",
    [messageId],
  );
  return rows[0];
}

describe("reroute_chat_message", () => {
  it("sends a routed message to the agent the operator picks and cancels the delivery still queued for the routed one", async () => {
    const sent = await send("team-room", "Can someone add SQL migrations?");
    expect(sent.metadata.routed_reason).toBe("routed to @backend: sql, migrations");

    const { data, error } = await reroute(f.operator, sent.id, "web");
    expect(error).toBeNull();
    const message = data as TMessage;
    expect(message.target_agent_keys).toEqual(["backend", "web"]);
    expect(message.metadata).toMatchObject({
      routed_reason: "routed to @backend: sql, migrations",
      rerouted: { from: "backend", to: "web", by: f.operator.userId },
    });
    expect(Date.parse(message.metadata.rerouted?.at ?? "")).not.toBeNaN();
    expect(await deliveriesOf(sent.id)).toEqual([
      { agent_key: "backend", status: "failed", attempts: 0, error: "Re-routed to @web before @backend started on it" },
      { agent_key: "web", status: "queued", attempts: 0, error: null },
    ]);
  });

  it("is idempotent: a second re-route to the same agent adds and changes nothing", async () => {
    const sent = await send("team-room", "Please fix the css of the board");
    const first = await reroute(f.owner, sent.id, "lead");
    expect(first.error).toBeNull();
    const before = await readMessage(sent.id);
    const deliveriesBefore = await deliveriesOf(sent.id);

    const clicks = await Promise.all([reroute(f.owner, sent.id, "lead"), reroute(f.operator, sent.id, "lead")]);
    expect(clicks.map((c) => c.error)).toEqual([null, null]);
    expect(await readMessage(sent.id)).toEqual(before);
    expect(await deliveriesOf(sent.id)).toEqual(deliveriesBefore);
    expect(deliveriesBefore.map((d) => [d.agent_key, d.status])).toEqual([
      ["lead", "queued"],
      ["web", "failed"],
    ]);
  });

  it("re-routing back to an agent queues its cancelled delivery again, and takes the message from the last one", async () => {
    const sent = await send("team-room", "Add migrations for the react page");
    expect(sent.target_agent_keys).toEqual(["backend"]);
    await reroute(f.operator, sent.id, "web");
    const { data, error } = await reroute(f.operator, sent.id, "backend");
    expect(error).toBeNull();
    expect((data as TMessage).metadata.rerouted).toMatchObject({ from: "web", to: "backend" });
    expect((data as TMessage).target_agent_keys).toEqual(["backend", "web"]);
    expect((await deliveriesOf(sent.id)).map((d) => [d.agent_key, d.status, d.error])).toEqual([
      ["backend", "queued", null],
      ["web", "failed", "Re-routed to @backend before @web started on it"],
    ]);
  });

  it("leaves a delivery an executor already picked up: that agent answers too", async () => {
    const sent = await send("team-room", "What is the plan for today?");
    expect(sent.target_agent_keys).toEqual(["lead"]);
    await sql.query(
      "update public.chat_delivery_queue set status = 'delivered', attempts = 1, claimed_by = 'test-executor', picked_up_at = now() where message_id = $1",
      [sent.id],
    );
    const { error } = await reroute(f.operator, sent.id, "backend");
    expect(error).toBeNull();
    expect((await deliveriesOf(sent.id)).map((d) => [d.agent_key, d.status])).toEqual([
      ["backend", "queued"],
      ["lead", "delivered"],
    ]);
  });

  it("adds the agent to a message that named several, cancelling none of theirs", async () => {
    const sent = await send("team-room", "@web and @lead: a question");
    const { data, error } = await reroute(f.operator, sent.id, "backend");
    expect(error).toBeNull();
    expect((data as TMessage).metadata.rerouted).toMatchObject({ from: null, to: "backend" });
    expect((await deliveriesOf(sent.id)).map((d) => [d.agent_key, d.status])).toEqual([
      ["backend", "queued"],
      ["lead", "queued"],
      ["web", "queued"],
    ]);
  });

  it("puts a failed message back to sent, since a delivery is queued again", async () => {
    const sent = await send("team-room", "Anyone for the sql?");
    await sql.query("update public.chat_delivery_queue set status = 'failed', error = 'boom' where message_id = $1", [sent.id]);
    await sql.query("update public.project_chat_messages set status = 'failed' where id = $1", [sent.id]);
    const { data } = await reroute(f.operator, sent.id, "web");
    expect((data as TMessage).status).toBe("sent");
    // The old delivery had already failed: it keeps its own error.
    expect((await deliveriesOf(sent.id)).map((d) => [d.agent_key, d.status, d.error])).toEqual([
      ["backend", "failed", "boom"],
      ["web", "queued", null],
    ]);
  });
});

describe("reroute_chat_message refuses", () => {
  it("a viewer with 42501 and a hint, an outsider and an unknown message with PT404, changing nothing", async () => {
    const sent = await send("team-room", "Viewer test about sql");
    const viewer = await reroute(f.viewer, sent.id, "web");
    expect(viewer.error).toMatchObject({
      code: "42501",
      message: "Only operators and owners of this project can re-route messages",
      hint: "Ask an owner to give you the operator role.",
    });
    const outsider = await reroute(f.outsider, sent.id, "web");
    expect(outsider.error?.code).toBe("PT404");
    const unknown = await reroute(f.operator, crypto.randomUUID(), "web");
    expect(unknown.error?.code).toBe("PT404");
    expect((await deliveriesOf(sent.id)).map((d) => [d.agent_key, d.status])).toEqual([["backend", "queued"]]);
    expect((await readMessage(sent.id))?.metadata.rerouted).toBeUndefined();
  });

  it("an agent that is not enabled or not in the project with PT404 and a hint", async () => {
    const sent = await send("team-room", "Retired agent test");
    for (const key of ["retired", "ghost"]) {
      const { error } = await reroute(f.operator, sent.id, key);
      expect(error).toMatchObject({
        code: "PT404",
        message: `There is no enabled agent @${key} in this project`,
        hint: "Pick an agent from the roster, or enable it on the Agents page.",
      });
    }
    const bad = await reroute(f.operator, sent.id, "Not A Key");
    expect(bad.error?.code).toBe("22023");
    expect((await deliveriesOf(sent.id)).map((d) => d.agent_key)).toEqual(["lead"]);
  });

  it("a DM, an agent's message and a /command with 22023", async () => {
    const dm = await send("DM:web", "Hello web");
    const inDm = await reroute(f.operator, dm.id, "backend");
    expect(inDm.error).toMatchObject({ code: "22023", message: "Only an operator's message in the Team Room can be re-routed" });

    const { rows } = await sql.query<{ id: string }>(
      `insert into public.project_chat_messages (project_id, thread_id, author_type, author_agent_key, content)
       select project_id, thread_id, 'agent', 'web', 'An agent reply' from public.project_chat_messages where id = $1
       returning id`,
      [(await send("team-room", "Something for the lead")).id],
    );
    const fromAgent = await reroute(f.operator, rows[0]?.id ?? "", "backend");
    expect(fromAgent.error?.code).toBe("22023");

    const command = await send("team-room", "/plan @web redesign the board");
    const asCommand = await reroute(f.operator, command.id, "backend");
    expect(asCommand.error).toMatchObject({
      code: "22023",
      message: "This message is a /plan command: it started a run, not a chat reply",
      hint: "Hand the run over with /handoff @agent <note>, or from the task page.",
    });
  });

  it("the anon key and the service role: only signed-in members may call it", async () => {
    const { rows } = await sql.query<{ anon: boolean; authenticated: boolean }>(
      `select has_function_privilege('anon', 'public.reroute_chat_message(uuid, text)', 'execute') as anon,
              has_function_privilege('authenticated', 'public.reroute_chat_message(uuid, text)', 'execute') as authenticated`,
    );
    expect(rows[0]).toEqual({ anon: false, authenticated: true });
    const sent = await send("team-room", "Service role test");
    const service = await serviceClient().rpc("reroute_chat_message", { p_message_id: sent.id, p_agent_key: "web" });
    expect(service.error).not.toBeNull();
  });
});
