import { describe, expect, it } from "vitest";
import { catchUpProject } from "./catch-up-project.ts";
import type { TLiveReader } from "./live-reader.ts";
import { createLiveStore, type TLiveStore } from "./live-store.ts";
import type { TLiveRow } from "./live-tables.ts";

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
  model: "builtin-offline",
  max_context_tokens: 8000,
  seq,
});

/** An in-memory database the fake reader answers from; `duringRead` runs while a read is in flight. */
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
  return {
    async readScope(table) {
      duringRead?.();
      if (table === "agents") return db.agents as never;
      if (table === "project_chat_threads") return [thread] as never;
      return [] as never;
    },
    async readActivities() {
      return [];
    },
    async readThreadWindow(threadId, limit) {
      return db.messages
        .filter((m) => m.thread_id === threadId)
        .sort((a, b) => b.seq - a.seq)
        .slice(0, limit);
    },
    async readDeliveries(ids) {
      return db.deliveries.filter((d) => ids.includes(d.message_id));
    },
    async readProposals() {
      return db.proposals ?? [];
    },
    async readTaskEvents(taskIds) {
      return (db.taskEvents ?? []).filter((e) => taskIds.includes(e.task_id));
    },
  };
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
    const close = store.getState().watchTask("task-a");
    const db = { messages: [], deliveries: [], agents: [agent("lead", 2)], taskEvents: [event("e1", "task-a"), event("e2", "task-b")] };
    await catchUpProject(fakeDb(db), store, P);
    expect(Object.keys(store.getState().rows.task_events)).toEqual(["e1"]);
    close();
    expect(store.getState().watchedTasks).toEqual({});
  });

  it("shows a decision made while realtime was not listening (the approvals inbox count goes down)", async () => {
    const store = storeWithScreen();
    const proposal = (status: TLiveRow<"action_proposals">["status"], seq: number): TLiveRow<"action_proposals"> => ({
      id: "pr1",
      project_id: P,
      action_type: "file_write",
      summary: "",
      params: {},
      params_hash: "h",
      risk: "low",
      blast_radius: "",
      reversibility: "reversible",
      rollback_plan: "",
      expires_at: "2026-11-22T08:00:00Z",
      proposed_by_agent_key: "lead",
      task_id: null,
      thread_id: null,
      revision_of: null,
      status,
      resolved_by: null,
      resolved_at: null,
      resolution_comment: null,
      execution_started_at: null,
      finished_at: null,
      execution_result: null,
      error: null,
      created_at: "2026-11-21T08:00:00Z",
      updated_at: "2026-11-21T08:00:00Z",
      seq,
    });
    store.getState().applyRows("action_proposals", [proposal("proposed", 50)]);
    await catchUpProject(
      fakeDb({ messages: [], deliveries: [], agents: [agent("lead", 2)], proposals: [proposal("approved", 60)] }),
      store,
      P,
    );
    expect(store.getState().rows.action_proposals.pr1?.status).toBe("approved");
  });
});
