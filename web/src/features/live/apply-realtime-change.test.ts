import { describe, expect, it } from "vitest";
import { applyRealtimeChange, applyRealtimeChanges } from "./apply-realtime-change.ts";
import { createLiveStore } from "./live-store.ts";

const message = (over: Record<string, unknown> = {}) => ({
  id: "m1",
  project_id: "p1",
  thread_id: "t1",
  author_type: "user",
  author_user_id: "u1",
  author_agent_key: null,
  target_agent_keys: ["lead"],
  message_type: "text",
  content: "hello",
  metadata: {},
  status: "sent",
  reply_to: null,
  created_at: "2026-11-21T08:00:00Z",
  seq: 10,
  ...over,
});

describe("applyRealtimeChange", () => {
  it("adds an inserted message to the store", () => {
    const store = createLiveStore();
    expect(applyRealtimeChange(store, { table: "project_chat_messages", eventType: "INSERT", new: message(), old: {} })).toBe(true);
    expect(store.getState().rows.project_chat_messages.m1?.content).toBe("hello");
  });

  it("ignores an update event older than the row already held (caught up by a read)", () => {
    const store = createLiveStore();
    store.getState().applyRows("project_chat_messages", [{ ...message({ status: "read", seq: 20 }) } as never]);
    applyRealtimeChange(store, {
      table: "project_chat_messages",
      eventType: "UPDATE",
      new: message({ status: "delivered", seq: 15 }),
      old: {},
    });
    expect(store.getState().rows.project_chat_messages.m1?.status).toBe("read");
  });

  it("removes a deleted agent by its id", () => {
    const store = createLiveStore();
    const agent = {
      id: "a1",
      project_id: "p1",
      agent_key: "lead",
      display_name: "Lead",
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
      seq: 3,
    };
    applyRealtimeChange(store, { table: "agents", eventType: "INSERT", new: agent, old: {} });
    expect(store.getState().rows.agents.a1).toBeDefined();
    applyRealtimeChange(store, { table: "agents", eventType: "DELETE", new: {}, old: { id: "a1" } });
    expect(store.getState().rows.agents.a1).toBeUndefined();
  });

  it("drops events for tables the store does not hold and rows it cannot parse", () => {
    const store = createLiveStore();
    expect(applyRealtimeChange(store, { table: "executor_presence", eventType: "INSERT", new: { id: "x" }, old: {} })).toBe(false);
    expect(applyRealtimeChange(store, { table: "project_chat_messages", eventType: "INSERT", new: { id: "broken" }, old: {} })).toBe(false);
    expect(Object.keys(store.getState().rows.project_chat_messages)).toEqual([]);
  });
});

describe("applyRealtimeChanges", () => {
  it("merges a burst with one store update per table, and applies a delete after the inserts before it", () => {
    const store = createLiveStore();
    let updates = 0;
    store.subscribe(() => {
      updates += 1;
    });
    const taken = applyRealtimeChanges(store, [
      { table: "project_chat_messages", eventType: "INSERT", new: message({ id: "m1", seq: 1 }), old: {} },
      { table: "project_chat_messages", eventType: "INSERT", new: message({ id: "m2", seq: 2 }), old: {} },
      { table: "project_chat_messages", eventType: "INSERT", new: message({ id: "m3", seq: 3 }), old: {} },
      { table: "project_chat_messages", eventType: "DELETE", new: {}, old: { id: "m2" } },
      { table: "project_chat_messages", eventType: "INSERT", new: message({ id: "m4", seq: 4 }), old: {} },
      { table: "not_a_live_table", eventType: "INSERT", new: {}, old: {} },
    ]);
    expect(taken).toBe(5);
    expect(Object.keys(store.getState().rows.project_chat_messages).sort()).toEqual(["m1", "m3", "m4"]);
    // Inserts before the delete, the delete, the insert after it: three updates, not five.
    expect(updates).toBe(3);
  });
});
