import type { RealtimeChannel } from "@supabase/supabase-js";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";

/** A live subscription that wakes the provision worker when the dashboard writes a provision request. */
export type TProvisionWakeups = {
  /** Resolves once the channel is subscribed (or after `timeoutMs`, with false: polling still works). */
  ready: Promise<boolean>;
  close(): Promise<void>;
};

/**
 * Subscribes as the service role to INSERTs into agent_provision_requests and rings the worker
 * within milliseconds. Realtime is a hint: polling still finds every request, and every
 * (re)subscription rings once to catch up.
 */
export function subscribeProvisionWakeups(
  db: TDb,
  handlers: { wake: () => void; log: Logger; channelName: string; timeoutMs?: number },
): TProvisionWakeups {
  let closing = false;
  let settle: (ok: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => {
    settle = resolve;
  });
  const timer = setTimeout(() => settle(false), handlers.timeoutMs ?? 5_000);
  const channel: RealtimeChannel = db
    .channel(handlers.channelName)
    .on("postgres_changes", { event: "INSERT", schema: "public", table: "agent_provision_requests" }, () => handlers.wake())
    .subscribe((status, err) => {
      if (status === "SUBSCRIBED") {
        clearTimeout(timer);
        settle(true);
        handlers.log.debug({ channel: handlers.channelName }, "provision wake-ups subscribed");
        handlers.wake();
      } else if (!closing) {
        handlers.log.warn({ status, err }, "provision wake-ups interrupted; polling continues and the channel rejoins");
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
