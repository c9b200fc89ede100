import { afterEach, describe, expect, it, vi } from "vitest";
import { createLiveStore } from "../live/live-store.ts";
import { recheckConnection, startConnectionMonitor } from "./connection-monitor.ts";

const deps = (answers: { supabase: boolean; executor: boolean }, calls: string[]) => ({
  supabaseUrl: "http://sb.test",
  supabaseAnonKey: "anon-key-anon-key-anon",
  controlApiUrl: "http://exec.test",
  fetch: (async (input: string | URL | Request) => {
    const url = String(input);
    calls.push(url);
    const up = url.startsWith("http://sb.test") ? answers.supabase : answers.executor;
    if (!up) throw new TypeError("Failed to fetch");
    return new Response("{}", { status: 200 });
  }) as typeof fetch,
});

describe("startConnectionMonitor", () => {
  afterEach(() => vi.useRealTimers());

  it("checks at once and writes Live with the check time", async () => {
    const store = createLiveStore();
    const stop = startConnectionMonitor(store, deps({ supabase: true, executor: true }, []));
    await vi.waitFor(() => expect(store.getState().connection.mode).toBe("live"));
    expect(store.getState().connection.lastCheckAt).not.toBeNull();
    expect(store.getState().connection.lastLiveAt).toBe(store.getState().connection.lastCheckAt);
    stop();
  });

  it("re-checks at once when asked (a failed call) and keeps the last live time when the executor goes", async () => {
    const store = createLiveStore();
    const answers = { supabase: true, executor: true };
    const stop = startConnectionMonitor(store, deps(answers, []), 60_000);
    await vi.waitFor(() => expect(store.getState().connection.mode).toBe("live"));
    const lastLive = store.getState().connection.lastLiveAt;
    answers.executor = false;
    recheckConnection();
    await vi.waitFor(() => expect(store.getState().connection.mode).toBe("backup"));
    expect(store.getState().connection.lastLiveAt).toBe(lastLive);
    stop();
  });

  it("polls every 30 s while Live and every 2 s while degraded", async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const answers = { supabase: true, executor: true };
    const store = createLiveStore();
    const stop = startConnectionMonitor(store, deps(answers, calls), 30_000, 2_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().connection.mode).toBe("live");
    const first = calls.length;
    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls.length).toBe(first);
    answers.executor = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.length).toBe(first * 2);
    expect(store.getState().connection.mode).toBe("backup");
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls.length).toBe(first * 3);
    stop();
  });

  it("re-checks at once when the realtime channel changes state", async () => {
    const calls: string[] = [];
    const answers = { supabase: true, executor: true };
    const store = createLiveStore();
    const stop = startConnectionMonitor(store, deps(answers, calls), 60_000, 60_000);
    await vi.waitFor(() => expect(store.getState().connection.mode).toBe("live"));
    answers.supabase = false;
    answers.executor = false;
    store.getState().setRealtimeStatus("reconnecting");
    await vi.waitFor(() => expect(store.getState().connection.mode).toBe("offline"));
    stop();
  });

  it("re-checks at once when the roster's count of offline agents changes", async () => {
    const answers = { supabase: true, executor: true };
    const store = createLiveStore();
    const stop = startConnectionMonitor(store, deps(answers, []), 60_000, 60_000);
    await vi.waitFor(() => expect(store.getState().connection.mode).toBe("live"));
    answers.executor = false;
    store.getState().applyRows("agent_status", [
      {
        agent_id: "a1",
        project_id: "p1",
        status: "offline",
        current_action: "No executor is running: messages wait in the queue",
        last_seen_at: null,
        context_usage: {},
        last_model: null,
        updated_at: new Date().toISOString(),
        seq: 1,
      },
    ]);
    await vi.waitFor(() => expect(store.getState().connection.mode).toBe("backup"));
    stop();
  });

  it("stops answering re-check requests once stopped", async () => {
    const calls: string[] = [];
    const store = createLiveStore();
    const stop = startConnectionMonitor(store, deps({ supabase: false, executor: false }, calls));
    await vi.waitFor(() => expect(store.getState().connection.mode).toBe("offline"));
    stop();
    const before = calls.length;
    recheckConnection();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls.length).toBe(before);
  });
});
