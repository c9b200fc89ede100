import type { RealtimeChannel } from "@supabase/supabase-js";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";

/** A live subscription that wakes a worker when rows it should look at change. */
export type TTableWakeups = {
  /** Resolves once the channel is subscribed (or after `timeoutMs`, with false: polling still works). */
  ready: Promise<boolean>;
  close(): Promise<void>;
};

/**
 * Subscribes as the service role to one kind of change of one table (`event`, optionally narrowed
 * by `filter`, e.g. `status=eq.approved`) and rings the worker within milliseconds. Realtime is a
 * hint: the worker's polling still finds every row, and every (re)subscription rings once to catch
 * up. `what` names the wake-ups in logs ("approval", "provision").
 */
export function subscribeTableWakeups(
  db: TDb,
  options: {
    table: string;
    event: "INSERT" | "UPDATE";
    filter?: string;
    what: string;
    wake: () => void;
    log: Logger;
    channelName: string;
    timeoutMs?: number;
  },
): TTableWakeups {
  let closing = false;
  let settle: (ok: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => {
    settle = resolve;
  });
  const timer = setTimeout(() => settle(false), options.timeoutMs ?? 5_000);
  const change = { event: options.event, schema: "public", table: options.table, ...(options.filter ? { filter: options.filter } : {}) };
  const channel: RealtimeChannel = db
    .channel(options.channelName)
    .on("postgres_changes", change, () => options.wake())
    .subscribe((status, err) => {
      if (status === "SUBSCRIBED") {
        clearTimeout(timer);
        settle(true);
        options.log.debug({ channel: options.channelName }, `${options.what} wake-ups subscribed`);
        options.wake();
      } else if (!closing) {
        options.log.warn({ status, err }, `${options.what} wake-ups interrupted; polling continues and the channel rejoins`);
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
