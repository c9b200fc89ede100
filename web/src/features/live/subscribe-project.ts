import type { RealtimeChannel } from "@supabase/supabase-js";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { createRealtimeBatcher } from "./apply-realtime-change.ts";
import { catchUpProject } from "./catch-up-project.ts";
import { createSupabaseLiveReader, type TLiveReader } from "./live-reader.ts";
import type { TLiveStore } from "./live-store.ts";
import { LIVE_TABLE_NAMES, realtimeFilterOf } from "./live-tables.ts";

/** Options for subscribeProject. */
export interface TSubscribeProjectOptions {
  client: TBrowserClient;
  store: TLiveStore;
  projectId: string;
  accessToken: string;
  /** Called when a catch-up read or the subscription fails (the screen may be stale until the next catch-up). */
  onError?: (err: unknown) => void;
  /** The reads catch-up makes; supabase-js by default (tests pass a fake). */
  reader?: TLiveReader;
  /** Where "tab visible again" and "back online" come from; the browser by default. */
  lifecycle?: TPageLifecycle;
}

/** Page events that call for a catch-up. Each registration returns its removal. */
export interface TPageLifecycle {
  onVisible(callback: () => void): () => void;
  onOnline(callback: () => void): () => void;
}

const browserLifecycle: TPageLifecycle = {
  onVisible(callback) {
    const listener = () => {
      if (document.visibilityState === "visible") callback();
    };
    document.addEventListener("visibilitychange", listener);
    return () => document.removeEventListener("visibilitychange", listener);
  },
  onOnline(callback) {
    window.addEventListener("online", callback);
    return () => window.removeEventListener("online", callback);
  },
};

/**
 * Keeps the store in step with a project: sets the user's token on realtime, subscribes one
 * channel to every live table, filtered as its scope says (live-tables.ts), and catches up from the database at once, on every
 * SUBSCRIBED (first join and each rejoin after CHANNEL_ERROR / TIMED_OUT / CLOSED) and when the tab
 * becomes visible again. Returns a function that unsubscribes.
 */
export function subscribeProject(options: TSubscribeProjectOptions): () => void {
  const { client, store, projectId } = options;
  const reader = options.reader ?? createSupabaseLiveReader(client);
  const lifecycle = options.lifecycle ?? browserLifecycle;
  let stopped = false;
  let channel: RealtimeChannel | undefined;
  let inFlight: Promise<void> | undefined;
  let pending = false;
  const changes = createRealtimeBatcher(store);

  const catchUp = () => {
    if (stopped) return;
    if (inFlight) {
      pending = true;
      return;
    }
    inFlight = catchUpProject(reader, store, projectId)
      .catch((err) => options.onError?.(err))
      .finally(() => {
        inFlight = undefined;
        if (pending) {
          pending = false;
          catchUp();
        }
      });
  };

  const start = async () => {
    await client.realtime.setAuth(options.accessToken);
    if (stopped) return;
    store.getState().setRealtimeStatus("connecting");
    // A fresh topic per subscription: re-subscribing to a project while the old channel is still being removed never reuses it.
    let next = client.channel(`project:${projectId}:${crypto.randomUUID().slice(0, 8)}`);
    for (const table of LIVE_TABLE_NAMES) {
      const filter = realtimeFilterOf(table, projectId);
      next = next.on("postgres_changes", { event: "*", schema: "public", table, ...(filter ? { filter } : {}) }, (payload) =>
        changes.push(payload),
      );
    }
    channel = next.subscribe((status) => {
      if (stopped) return;
      if (status === "SUBSCRIBED") {
        store.getState().setRealtimeStatus("subscribed");
        catchUp();
      } else if (status === "CLOSED") {
        store.getState().setRealtimeStatus("closed");
      } else {
        // CHANNEL_ERROR or TIMED_OUT: supabase-js rejoins by itself; the next SUBSCRIBED catches up.
        store.getState().setRealtimeStatus("reconnecting");
      }
    });
  };

  catchUp();
  start().catch((err) => {
    store.getState().setRealtimeStatus("closed");
    options.onError?.(err);
  });
  const removeVisible = lifecycle.onVisible(catchUp);
  const removeOnline = lifecycle.onOnline(catchUp);
  return () => {
    stopped = true;
    changes.close();
    removeVisible();
    removeOnline();
    if (channel) void client.removeChannel(channel);
    store.getState().setRealtimeStatus("idle");
  };
}
