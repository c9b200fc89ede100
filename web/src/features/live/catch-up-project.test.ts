import { describe, expect, it } from "vitest";
import { proposalRow } from "../../testing/test-rows.ts";
import { catchUpProject } from "./catch-up-project.ts";
import type { TLiveQuery, TLiveReader } from "./live-reader.ts";
import { createLiveStore, selectLoaded, type TLiveStore } from "./live-store.ts";
import { matchesFilter, type TLiveRow, type TLiveTable } from "./live-tables.ts";

type TMessage = TLiveRow<"project_chat_messages">;
type TDelivery = TLiveRow<"chat_delivery_queue">;
type TAgent = TLiveRow<"agents">;

const P = "p1";
const thread: TLiveRow<"project_chat_threads"> = {
  id: "t1",
  project_id: P,
  kind: "dm",
  thread_key: "DM:lead",
  agent_key: "lead",
  title: "DM",
  seq: 1,
};
const msg = (id: string, seq: number, over: Partial<TMessage> = {}): TMessage => ({
  id,
  project_id: P,
  thread_id: "t1",
  author_type: "user",
  author_user_id: "u1",
  author_agent_key: null,
  target_agent_keys: ["lead"],
  message_type: "text",
  content: id,
  metadata: {},
  status: "sent",
  reply_to: null,
  created_at: `2026-11-21T08:00:${String(seq).padStart(2, "0")}Z`,
  seq,
  ...over,
});
const delivery = (id: string, messageId: string, seq: number, status: TDelivery["status"]): TDelivery => ({
  id,
  project_id: P,
  message_id: messageId,
  agent_key: "lead",
  status,
  attempts: 1,
  error: null,
  updated_at: "2026-11-21T08:00:00Z",
  seq,
});
const agent = (id: string, seq: number): TAgent => ({
  id,
  project_id: P,
  agent_key: id,
  display_name: id,
  role: "",
  enabled: true,
  provider: "builtin",
  provider_connection_id: null,
  model: "builtin-offline",
  system_prompt: "",
  temperature: null,
  max_context_tokens: 8000,
  max_output_tokens: null,
  verbosity: null,
  tools_enabled: [],
  risk_tolerance: "low",
  capabilities: [],
  heartbeat: {},
  created_at: "2026-11-21T08:00:00Z",
  updated_at: "2026-11-21T08:00:00Z",
  seq,
});

type TFakeDb = { [K in TLiveTable]?: TLiveRow<K>[] };

/**
 * A reader answering from an in-memory database the way PostgREST would (eq, in, newest first,
 * limit); it records every read, and runs `duringRead` while a read is in flight.
 */
function memoryReader(db: TFakeDb, duringRead?: () => void) {
  const reads: { table: TLiveTable; query: TLiveQuery }[] = [];
  const reader: TLiveReader = {
    async read(table, query) {
      reads.push({ table, query });
      duringRead?.();
      const rows = (db[table] ?? [])
        .filter((row) => matchesFilter(row, query.eq))
        .filter((row) => !query.in || query.in.values.includes(String(Reflect.get(row, query.in.column))));
      const by = query.newestFirstBy;
      if (by) rows.sort((a, b) => (Reflect.get(a, by) < Reflect.get(b, by) ? 1 : Reflect.get(a, by) > Reflect.get(b, by) ? -1 : 0));
      return query.limit === undefined ? rows : rows.slice(0, query.limit);
    },
  };
  return { reader, reads };
}

/** The database of these tests: the thread, and what each test puts in it. */
function fakeDb(
  db: {
    messages: TMessage[];
    deliveries: TDelivery[];
    agents: TAgent[];
    taskEvents?: TLiveRow<"task_events">[];
    proposals?: TLiveRow<"action_proposals">[];
  },
  duringRead?: () => void,
): TLiveReader {
  return memoryReader(
    {
      agents: db.agents,
      project_chat_threads: [thread],
      project_chat_messages: db.messages,
      chat_delivery_queue: db.deliveries,
      task_events: db.taskEvents ?? [],
      action_proposals: db.proposals ?? [],
    },
    duringRead,
  ).reader;
}

function storeWithScreen(): TLiveStore {
  const store = createLiveStore();
  store.getState().applyRows("project_chat_threads", [thread]);
  store.getState().applyRows("project_chat_messages", [msg("m1", 5)]);
  store.getState().applyRows("chat_delivery_queue", [delivery("d1", "m1", 6, "queued")]);
  store.getState().applyRows("agents", [agent("lead", 2), agent("old", 3)]);
  return store;
}

describe("catchUpProject", () => {
  it("shows the reply and the new states that were written while the websocket was down", async () => {
    const store = storeWithScreen();
    const db = {
      messages: [
        msg("m1", 12, { status: "read" }),
        msg("m2", 11, { author_type: "agent", author_agent_key: "lead", author_user_id: null }),
      ],
      deliveries: [delivery("d1", "m1", 13, "processed")],
      agents: [agent("lead", 2), agent("old", 3)],
    };
    await catchUpProject(fakeDb(db), store, P);
    const rows = store.getState().rows;
    expect(rows.project_chat_messages.m2?.author_agent_key).toBe("lead");
    expect(rows.project_chat_messages.m1?.status).toBe("read");
    expect(rows.chat_delivery_queue.d1?.status).toBe("processed");
    expect(store.getState().realtime.catchUps).toBe(1);
  });

  it("a store seeded with the server's rows counts as loaded, and the browser's catch-up reads the full windows over them", async () => {
    const messages = Array.from({ length: 120 }, (_, i) => msg(`m${i}`, 100 + i));
    const db = { messages, deliveries: [], agents: [agent("lead", 2)] };
    // The server's first render: windows capped, into a store of its own.
    const server = createLiveStore();
    server.getState().applyRows("project_chat_threads", [thread]);
    await catchUpProject(fakeDb(db), server, P, { maxWindow: 50 });
    const serverRows = server.getState().rows;
    expect(Object.keys(serverRows.project_chat_messages)).toHaveLength(50);

    const seed = {
      project_chat_threads: Object.values(serverRows.project_chat_threads),
      project_chat_messages: Object.values(serverRows.project_chat_messages),
      agents: Object.values(serverRows.agents),
    };
    const browser = createLiveStore(seed);
    expect(selectLoaded(browser.getState())).toBe(true);
    expect(selectLoaded(createLiveStore().getState())).toBe(false);
    expect(browser.getState().rows.project_chat_messages.m119?.content).toBe("m119");
    expect(browser.getState().realtime.catchUps).toBe(0);

    await catchUpProject(fakeDb(db), browser, P);
    expect(Object.keys(browser.getState().rows.project_chat_messages)).toHaveLength(120);
    expect(browser.getState().rows.agents.lead?.agent_key).toBe("lead");
  });

  it("keeps a newer version that realtime delivered while the catch-up read was in flight", async () => {
    const store = storeWithScreen();
    const db = { messages: [msg("m1", 12, { status: "delivered" })], deliveries: [], agents: [agent("lead", 2), agent("old", 3)] };
    let once = false;
    const reader = fakeDb(db, () => {
      if (once) return;
      once = true;
      store.getState().applyRows("project_chat_messages", [msg("m1", 20, { status: "read" })]);
    });
    await catchUpProject(reader, store, P);
    expect(store.getState().rows.project_chat_messages.m1?.status).toBe("read");
    expect(store.getState().rows.project_chat_messages.m1?.seq).toBe(20);
  });

  it("removes an agent that was deleted while realtime was not listening", async () => {
    const store = storeWithScreen();
    await catchUpProject(fakeDb({ messages: [msg("m1", 5)], deliveries: [], agents: [agent("lead", 2)] }), store, P);
    expect(store.getState().rows.agents.old).toBeUndefined();
    expect(store.getState().rows.agents.lead).toBeDefined();
  });

  it("reads the deliveries of operator messages that only arrived by realtime", async () => {
    const store = storeWithScreen();
    store.getState().applyRows("project_chat_messages", [msg("m9", 30)]);
    const db = { messages: [msg("m1", 5)], deliveries: [delivery("d9", "m9", 31, "failed")], agents: [agent("lead", 2), agent("old", 3)] };
    await catchUpProject(fakeDb(db), store, P);
    expect(store.getState().rows.chat_delivery_queue.d9?.status).toBe("failed");
  });

  it("re-reads the timelines of the task threads open on screen, and only those", async () => {
    const store = storeWithScreen();
    const event = (id: string, taskId: string): TLiveRow<"task_events"> => ({
      id,
      project_id: P,
      task_id: taskId,
      kind: "comment",
      author_type: "agent",
      author_user_id: null,
      author_agent_key: "lead",
      content: id,
      metadata: {},
      proposal_id: null,
      legacy_source: null,
      legacy_id: null,
      created_at: "2026-11-21T08:00:00Z",
      seq: 40,
    });
    const close = store.getState().watch("task", "task-a");
    const db = { messages: [], deliveries: [], agents: [agent("lead", 2)], taskEvents: [event("e1", "task-a"), event("e2", "task-b")] };
    await catchUpProject(fakeDb(db), store, P);
    expect(Object.keys(store.getState().rows.task_events)).toEqual(["e1"]);
    close();
    expect(store.getState().watched.task).toEqual({});
  });

  it("shows a decision made while realtime was not listening (the approvals inbox count goes down)", async () => {
    const store = storeWithScreen();
    const proposal = (status: TLiveRow<"action_proposals">["status"], seq: number): TLiveRow<"action_proposals"> =>
      proposalRow("pr1", { project_id: P, action_type: "file_write", proposed_by_agent_key: "lead", task_id: null, status, seq });
    store.getState().applyRows("action_proposals", [proposal("proposed", 50)]);
    await catchUpProject(
      fakeDb({ messages: [], deliveries: [], agents: [agent("lead", 2)], proposals: [proposal("approved", 60)] }),
      store,
      P,
    );
    expect(store.getState().rows.action_proposals.pr1?.status).toBe("approved");
  });

  it("reads each table's window as its descriptor says, and nothing else", async () => {
    const store = storeWithScreen();
    store.getState().watch("task", "task-a");
    const { reader, reads } = memoryReader({ project_chat_threads: [thread], project_chat_messages: [msg("m1", 5)] });
    await catchUpProject(reader, store, P);
    const project = { project_id: P };
    expect(reads).toEqual([
      { table: "projects", query: { eq: {} } },
      { table: "project_members", query: { eq: project } },
      { table: "project_settings", query: { eq: project } },
      { table: "project_invites", query: { eq: project, in: { column: "status", values: ["queued", "sent", "failed"] } } },
      { table: "project_invites", query: { eq: project, newestFirstBy: "seq", limit: 50 } },
      { table: "agents", query: { eq: project } },
      { table: "agent_status", query: { eq: project } },
      { table: "activities", query: { eq: project, newestFirstBy: "seq", limit: 100 } },
      { table: "brain_docs", query: { eq: { project_id: P, doc_type: "mission" } } },
      { table: "project_chat_threads", query: { eq: project } },
      { table: "tasks", query: { eq: project, newestFirstBy: "seq", limit: 300 } },
      { table: "tasks", query: { eq: {}, in: { column: "id", values: ["task-a"] } } },
      { table: "task_events", query: { eq: { task_id: "task-a" }, newestFirstBy: "created_at", limit: 500 } },
      { table: "action_proposals", query: { eq: { project_id: P, status: "proposed" } } },
      { table: "action_proposals", query: { eq: project, newestFirstBy: "seq", limit: 300 } },
      { table: "provider_connections", query: { eq: project } },
      { table: "budgets", query: { eq: project } },
      { table: "model_prices", query: { eq: project } },
      { table: "agent_provision_requests", query: { eq: { project_id: P, status: "queued" } } },
      { table: "agent_provision_requests", query: { eq: project, newestFirstBy: "seq", limit: 50 } },
      { table: "ai_runs", query: { eq: project, in: { column: "status", values: ["queued", "running", "needs_approval"] } } },
      { table: "ai_runs", query: { eq: project, newestFirstBy: "seq", limit: 200 } },
      { table: "ai_runs", query: { eq: { task_id: "task-a" }, newestFirstBy: "created_at", limit: 50 } },
      { table: "changesets", query: { eq: { project_id: P, status: "proposed" } } },
      { table: "changesets", query: { eq: project, newestFirstBy: "seq", limit: 100 } },
      { table: "skills", query: { eq: project } },
      { table: "skills_mirror", query: { eq: project } },
      { table: "cron_mirror", query: { eq: project } },
      { table: "cron_job_runs", query: { eq: project, newestFirstBy: "seq", limit: 500 } },
      { table: "cron_create_requests", query: { eq: { project_id: P, status: "queued" } } },
      { table: "cron_create_requests", query: { eq: project, newestFirstBy: "seq", limit: 50 } },
      { table: "cron_job_patch_requests", query: { eq: { project_id: P, status: "queued" } } },
      { table: "cron_job_patch_requests", query: { eq: project, newestFirstBy: "seq", limit: 50 } },
      { table: "cron_delete_requests", query: { eq: { project_id: P, status: "queued" } } },
      { table: "cron_delete_requests", query: { eq: project, newestFirstBy: "seq", limit: 50 } },
      { table: "cron_run_requests", query: { eq: { project_id: P, status: "queued" } } },
      { table: "cron_run_requests", query: { eq: project, newestFirstBy: "seq", limit: 50 } },
      { table: "project_chat_messages", query: { eq: { thread_id: "t1" }, newestFirstBy: "seq", limit: 200 } },
      { table: "chat_delivery_queue", query: { eq: {}, in: { column: "message_id", values: ["m1"] } } },
    ]);
  });

  it("reads the deliveries of many operator messages 100 messages at a time", async () => {
    const store = storeWithScreen();
    const messages = Array.from({ length: 150 }, (_, i) => msg(`m${i}`, i + 1));
    store.getState().applyRows("project_chat_messages", messages);
    const { reader, reads } = memoryReader({ project_chat_threads: [thread] });
    await catchUpProject(reader, store, P);
    const chunks = reads.filter((read) => read.table === "chat_delivery_queue").map((read) => read.query.in?.values.length);
    expect(chunks).toEqual([100, 50]);
  });

  it("keeps the mission when another project's or another kind of document is in the store", async () => {
    const store = storeWithScreen();
    const doc = (id: string, projectId: string, docType: string): TLiveRow<"brain_docs"> => ({
      id,
      project_id: projectId,
      agent_key: null,
      doc_type: docType,
      title: id,
      content: id,
      version: 1,
      updated_at: "2026-12-01T00:00:00Z",
      seq: 1,
    });
    store.getState().applyRows("brain_docs", [doc("mission", P, "mission"), doc("notes", P, "notes"), doc("other", "p2", "mission")]);
    await catchUpProject(memoryReader({ brain_docs: [doc("mission", P, "mission")] }).reader, store, P);
    expect(Object.keys(store.getState().rows.brain_docs).sort()).toEqual(["mission", "notes", "other"]);
    await catchUpProject(memoryReader({}).reader, store, P);
    expect(Object.keys(store.getState().rows.brain_docs).sort()).toEqual(["notes", "other"]);
  });
});
