import { describe, expect, it, vi } from "vitest";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import type { TLiveReader } from "./live-reader.ts";
import { createLiveStore } from "./live-store.ts";
import { subscribeProject, type TPageLifecycle } from "./subscribe-project.ts";

type TStatusCallback = (status: "SUBSCRIBED" | "CHANNEL_ERROR" | "TIMED_OUT" | "CLOSED") => void;
type TChangeCallback = (payload: unknown) => void;

/** A supabase-js client double: records setAuth, the bindings and the subscribe callback. */
function fakeClient() {
  const calls: string[] = [];
  const bindings: { filter: Record<string, string>; callback: TChangeCallback }[] = [];
  let statusCallback: TStatusCallback | undefined;
  const channel = {
    on(_type: string, filter: Record<string, string>, callback: TChangeCallback) {
      bindings.push({ filter, callback });
      return channel;
    },
    subscribe(callback: TStatusCallback) {
      calls.push("subscribe");
      statusCallback = callback;
      return channel;
    },
  };
  const client = {
    realtime: {
      setAuth: async (token: string) => {
        calls.push(`setAuth ${token}`);
      },
    },
    channel: () => channel,
    removeChannel: async () => {
      calls.push("removeChannel");
    },
  };
  return {
    client: client as unknown as TBrowserClient,
    calls,
    bindings,
    emit: (status: Parameters<TStatusCallback>[0]) => statusCallback?.(status),
  };
}

/** A reader that answers empty and counts catch-ups (one activities read per catch-up). */
function countingReader() {
  let catchUps = 0;
  const reader: TLiveReader = {
    read: async (table) => {
      if (table === "activities") catchUps += 1;
      return [];
    },
  };
  return { reader, catchUps: () => catchUps };
}

function fakeLifecycle() {
  const visible: (() => void)[] = [];
  const lifecycle: TPageLifecycle = {
    onVisible: (cb) => {
      visible.push(cb);
      return () => visible.splice(visible.indexOf(cb), 1);
    },
    onOnline: () => () => {},
  };
  return {
    lifecycle,
    becomeVisible: () => {
      for (const cb of visible) cb();
    },
    listeners: () => visible.length,
  };
}

async function setup() {
  const fake = fakeClient();
  const reads = countingReader();
  const page = fakeLifecycle();
  const store = createLiveStore();
  const stop = subscribeProject({
    client: fake.client,
    store,
    projectId: "p1",
    accessToken: "jwt-1",
    reader: reads.reader,
    lifecycle: page.lifecycle,
  });
  await vi.waitFor(() => expect(fake.calls).toContain("subscribe"));
  await vi.waitFor(() => expect(reads.catchUps()).toBe(1));
  return { fake, reads, page, store, stop };
}

describe("subscribeProject", () => {
  it("sets the user's token on realtime before subscribing, with every table filtered to the project", async () => {
    const { fake, stop } = await setup();
    expect(fake.calls.slice(0, 2)).toEqual(["setAuth jwt-1", "subscribe"]);
    const filtered = fake.bindings.filter((b) => b.filter.filter === "project_id=eq.p1").map((b) => b.filter.table);
    expect(filtered).toContain("project_chat_messages");
    expect(filtered).toContain("chat_delivery_queue");
    stop();
  });

  it("catches up at once and again on every SUBSCRIBED, including after a channel error", async () => {
    const { fake, reads, store, stop } = await setup();
    fake.emit("SUBSCRIBED");
    await vi.waitFor(() => expect(reads.catchUps()).toBe(2));
    expect(store.getState().realtime.status).toBe("subscribed");

    fake.emit("CHANNEL_ERROR");
    expect(store.getState().realtime.status).toBe("reconnecting");
    fake.emit("TIMED_OUT");
    expect(reads.catchUps()).toBe(2);

    fake.emit("SUBSCRIBED");
    await vi.waitFor(() => expect(reads.catchUps()).toBe(3));
    expect(store.getState().realtime.status).toBe("subscribed");
    stop();
  });

  it("catches up when the tab becomes visible again", async () => {
    const { reads, page, stop } = await setup();
    page.becomeVisible();
    await vi.waitFor(() => expect(reads.catchUps()).toBe(2));
    stop();
  });

  it("feeds realtime events into the store", async () => {
    const { fake, store, stop } = await setup();
    const messages = fake.bindings.find((b) => b.filter.table === "project_chat_messages");
    messages?.callback({
      table: "project_chat_messages",
      eventType: "INSERT",
      old: {},
      new: {
        id: "m1",
        project_id: "p1",
        thread_id: "t1",
        author_type: "agent",
        author_user_id: null,
        author_agent_key: "lead",
        target_agent_keys: [],
        message_type: "text",
        content: "hi",
        metadata: {},
        status: "sent",
        reply_to: null,
        created_at: "2026-11-21T08:00:00Z",
        seq: 5,
      },
    });
    // Applied with the events of the same frame, not synchronously.
    expect(store.getState().rows.project_chat_messages.m1).toBeUndefined();
    await vi.waitFor(() => expect(store.getState().rows.project_chat_messages.m1?.content).toBe("hi"));
    stop();
  });

  it("stops listening and removes the channel when stopped", async () => {
    const { fake, reads, page, store, stop } = await setup();
    stop();
    expect(fake.calls).toContain("removeChannel");
    expect(page.listeners()).toBe(0);
    fake.emit("SUBSCRIBED");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reads.catchUps()).toBe(1);
    expect(store.getState().realtime.status).toBe("idle");
  });
});
