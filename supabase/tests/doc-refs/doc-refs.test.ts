import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
const ids: Record<string, string> = {};

async function insertDoc(projectId: string, agentKey: string | null, docType: string, title: string, content: string): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    "insert into public.brain_docs (project_id, agent_key, doc_type, title, content) values ($1, $2, $3, $4, $5) returning id",
    [projectId, agentKey, docType, title, content],
  );
  return rows[0]?.id ?? "";
}

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("doc-refs");
  await sql.query(
    `insert into public.project_settings (project_id, key, value) values ($1, 'labs_features', '{"team_room": true, "dms": true}')`,
    [f.projectId],
  );
  await insertAgent(sql, f.projectId, "scout");
  ids.runbook = await insertDoc(f.projectId, null, "runbook", "Deploy runbook", "Deploy with `make ship` after the tests pass.");
  ids.builderMemory = await insertDoc(f.projectId, "builder", "memory", "Builder memory", "Builder remembers the cache key.");
  ids.scoutMemory = await insertDoc(f.projectId, "scout", "memory", "Scout memory", "Scout private notes.");
  // Same doc type in the other project: must never resolve from this project's messages.
  ids.otherRunbook = await insertDoc(f.otherProjectId, null, "playbook", "Other playbook", "OTHER PROJECT SECRET");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

async function names(text: string): Promise<string[]> {
  const { rows } = await sql.query<{ names: string[] }>("select public.doc_ref_names($1) as names", [text]);
  return rows[0]?.names ?? [];
}

async function send(threadKey: string, content: string) {
  const { data, error } = await f.operator.client.rpc("send_chat_message", {
    p_project_id: f.projectId,
    p_thread_key: threadKey,
    p_content: content,
    p_message_id: crypto.randomUUID(),
  });
  if (error) throw new Error(error.message);
  return data as { id: string; metadata: { doc_refs?: Array<{ id: string; ref: string; title: string }> } };
}

async function deliveryContext(messageId: string, agentKey: string) {
  const { rows } = await sql.query<{ context: { referenced_docs: Array<Record<string, unknown>>; agent_docs: unknown[] } }>(
    `select public.load_chat_delivery_context(d.id) as context from public.chat_delivery_queue d where d.message_id = $1 and d.agent_key = $2`,
    [messageId, agentKey],
  );
  const context = rows[0]?.context;
  if (!context) throw new Error(`no delivery of ${messageId} to ${agentKey}`);
  return context;
}

describe("doc_ref_names", () => {
  it("reads #name and #agent/name as words, once each, in order, lower-cased", async () => {
    expect(await names("see #runbook and #Builder/memory, then #runbook again")).toEqual(["runbook", "builder/memory"]);
    expect(await names("#runbook.")).toEqual(["runbook"]);
    expect(await names("(#runbook)")).toEqual(["runbook"]);
  });

  it("ignores headings, URL fragments, entities, issue numbers and words with a # inside", async () => {
    expect(await names("# Heading\n## runbook")).toEqual([]);
    expect(await names("https://example.com/page#runbook a&#x27;b c#runbook #1 ##runbook #scout/")).toEqual([]);
  });
});

describe("sending a message that references docs", () => {
  it("stores the resolved docs in metadata.doc_refs; an unknown name and another project's doc stay plain text", async () => {
    const message = await send("DM:builder", "Check #runbook, #nothing_here and #playbook, plus #builder/memory");
    expect(message.metadata.doc_refs).toEqual([
      { id: ids.runbook, ref: "runbook", title: "Deploy runbook" },
      { id: ids.builderMemory, ref: "builder/memory", title: "Builder memory" },
    ]);
  });

  it("ignores doc_refs a client writes itself on a task comment", async () => {
    const taskId = await insertTask(sql, f.projectId);
    const { data, error } = await f.operator.client
      .from("task_events")
      .insert({
        project_id: f.projectId,
        task_id: taskId,
        kind: "comment",
        author_type: "user",
        author_user_id: f.operator.userId,
        content: "Follow #runbook",
        metadata: { doc_refs: [{ id: ids.otherRunbook, ref: "playbook", title: "x" }] },
      })
      .select("metadata")
      .single();
    expect(error).toBeNull();
    expect(data?.metadata).toEqual({ doc_refs: [{ id: ids.runbook, ref: "runbook", title: "Deploy runbook" }] });
  });

  it("keeps the references it was sent with when the message is updated later", async () => {
    const message = await send("DM:builder", "Read #runbook");
    await sql.query(
      `update public.project_chat_messages set metadata = metadata - 'doc_refs' || '{"doc_refs": [], "x": 1}' where id = $1`,
      [message.id],
    );
    const { rows } = await sql.query<{ metadata: Record<string, unknown> }>(
      "select metadata from public.project_chat_messages where id = $1",
      [message.id],
    );
    expect(rows[0]?.metadata).toMatchObject({ x: 1, doc_refs: [{ id: ids.runbook }] });
  });
});

describe("the delivery context", () => {
  it("contains a referenced project doc's current text, and the agent's own doc", async () => {
    const message = await send("DM:builder", "Use #runbook and #builder/memory");
    await sql.query("update public.brain_docs set content = 'Deploy with `make ship-v2`.' where id = $1", [ids.runbook]);
    const context = await deliveryContext(message.id, "builder");
    expect(context.referenced_docs).toEqual([
      expect.objectContaining({ id: ids.runbook, ref: "runbook", status: "included", content: "Deploy with `make ship-v2`." }),
      expect.objectContaining({
        id: ids.builderMemory,
        ref: "builder/memory",
        status: "included",
        content: "Builder remembers the cache key.",
      }),
    ]);
  });

  it("withholds another agent's doc (no content) and never contains another project's doc", async () => {
    const message = await send("DM:builder", "Compare with #scout/memory and #playbook");
    const context = await deliveryContext(message.id, "builder");
    expect(context.referenced_docs).toEqual([expect.objectContaining({ id: ids.scoutMemory, status: "withheld" })]);
    const text = JSON.stringify(context);
    expect(text).not.toContain("Scout private notes.");
    expect(text).not.toContain("OTHER PROJECT SECRET");
  });

  it("reports a doc deleted after the message was sent as missing", async () => {
    const tmp = await insertDoc(f.projectId, null, "scratch", "Scratch", "soon gone");
    const message = await send("DM:builder", "Look at #scratch");
    await sql.query("delete from public.brain_docs where id = $1", [tmp]);
    const context = await deliveryContext(message.id, "builder");
    expect(context.referenced_docs).toEqual([{ id: tmp, ref: "scratch", title: "Scratch", status: "missing" }]);
  });

  it("does not let a forged reference to another project's doc into the context", async () => {
    const message = await send("DM:builder", "plain text");
    await sql.query(
      `update public.project_chat_messages set metadata = jsonb_build_object('doc_refs', jsonb_build_array(jsonb_build_object('id', $2::text, 'ref', 'playbook'))) where id = $1`,
      [message.id, ids.otherRunbook],
    );
    // The update keeps the references the message was sent with (none): read with a forged list directly.
    const { rows } = await sql.query<{ docs: Array<Record<string, unknown>> }>(
      `select public.load_referenced_docs($1, 'builder', jsonb_build_array(jsonb_build_object('id', $2::text, 'ref', 'playbook'))) as docs`,
      [f.projectId, ids.otherRunbook],
    );
    expect(rows[0]?.docs).toEqual([{ id: ids.otherRunbook, ref: "playbook", title: "", status: "missing" }]);
    expect(JSON.stringify(await deliveryContext(message.id, "builder"))).not.toContain("OTHER PROJECT SECRET");
  });
});

describe("the run context", () => {
  it("contains the docs referenced by the slash command that started the run, and a follow-up run inherits them", async () => {
    const message = await send("DM:builder", "/plan ship it following #runbook");
    const { rows } = await sql.query<{ id: string }>("select id from public.ai_runs where source_message_id = $1", [message.id]);
    const runId = rows[0]?.id ?? "";
    expect(runId).not.toBe("");
    const read = async (id: string) =>
      (await sql.query<{ c: { referenced_docs: Array<Record<string, unknown>> } }>("select public.load_ai_run_context($1) as c", [id]))
        .rows[0]?.c;
    expect((await read(runId))?.referenced_docs).toEqual([expect.objectContaining({ id: ids.runbook, status: "included" })]);

    const child = await sql.query<{ id: string }>(
      `insert into public.ai_runs (project_id, agent_key, mode, origin, goal, parent_run_id)
       values ($1, 'builder', 'test', 'command', 'Run the tests', $2) returning id`,
      [f.projectId, runId],
    );
    expect((await read(child.rows[0]?.id ?? ""))?.referenced_docs).toEqual([
      expect.objectContaining({ id: ids.runbook, status: "included" }),
    ]);
  });

  it("contains the docs of the task comment that mentioned the agent", async () => {
    const taskId = await insertTask(sql, f.projectId);
    const { data, error } = await f.operator.client
      .from("task_events")
      .insert({
        project_id: f.projectId,
        task_id: taskId,
        kind: "comment",
        author_type: "user",
        author_user_id: f.operator.userId,
        content: "@scout read #scout/memory and #runbook",
      })
      .select("id")
      .single();
    expect(error).toBeNull();
    const { rows } = await sql.query<{ c: { referenced_docs: Array<Record<string, unknown>> } }>(
      "select public.load_ai_run_context(r.id) as c from public.ai_runs r where r.source_task_event_id = $1 and r.agent_key = 'scout'",
      [data?.id],
    );
    expect(rows[0]?.c.referenced_docs).toEqual([
      expect.objectContaining({ id: ids.scoutMemory, status: "included", content: "Scout private notes." }),
      expect.objectContaining({ id: ids.runbook, status: "included" }),
    ]);
  });
});
