import type { RealtimeChannel } from "@supabase/supabase-js";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";

/** A live subscription that wakes the worker when deliveries are queued. */
export type TDeliveryWakeups = {
  /** Resolves once the channel is subscribed (or after `timeoutMs`, with false: polling still works). */
  ready: Promise<boolean>;
  close(): Promise<void>;
};

type TQueuedRow = { status?: string; available_at?: string };

/**
 * Subscribes as the service role to INSERT on chat_delivery_queue and to UPDATEs that make a row
 * `queued` (retry, requeue, release), and rings the worker within milliseconds. Realtime is a hint:
 * the worker's polling still finds everything, and every (re)subscription rings once to catch up.
 */
export function subscribeDeliveryWakeups(
  db: TDb,
  handlers: { wake: () => void; wakeAt: (at: Date) => void; log: Logger; channelName: string; timeoutMs?: number },
): TDeliveryWakeups {
  const onRow = (row: TQueuedRow) => {
    if (row.status !== "queued") return;
    const at = row.available_at ? new Date(row.available_at) : null;
    if (at && at.getTime() > Date.now()) handlers.wakeAt(at);
    else handlers.wake();
  };
  let closing = false;
  let settle: (ok: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => {
    settle = resolve;
  });
  const timer = setTimeout(() => settle(false), handlers.timeoutMs ?? 5_000);
  const channel: RealtimeChannel = db
    .channel(handlers.channelName)
    .on("postgres_changes", { event: "INSERT", schema: "public", table: "chat_delivery_queue" }, (payload) =>
      onRow(payload.new as TQueuedRow),
    )
    .on("postgres_changes", { event: "UPDATE", schema: "public", table: "chat_delivery_queue", filter: "status=eq.queued" }, (payload) =>
      onRow(payload.new as TQueuedRow),
    )
    .subscribe((status, err) => {
      if (status === "SUBSCRIBED") {
        clearTimeout(timer);
        settle(true);
        handlers.log.debug({ channel: handlers.channelName }, "realtime wake-ups subscribed");
        handlers.wake();
      } else if (!closing) {
        handlers.log.warn({ status, err }, "realtime wake-ups interrupted; polling continues and the channel rejoins");
      }
    });
  return {
    ready,
    async close() {
      closing = true;
      clearTimeout(timer);
      settle(false);
      await db.removeChannel(channel);
    },
  };
}
