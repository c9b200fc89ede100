import type { RealtimeChannel } from "@supabase/supabase-js";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import type { TTableWakeups } from "../worker/subscribe-table-wakeups.ts";

/**
 * One realtime channel on ai_runs for the run worker: a run inserted or queued again rings `wake`;
 * a run cancelled rings `cancelled` with its id, so the executor working it aborts within
 * milliseconds. Realtime is a hint: polling finds queued runs and the lease heartbeat finds
 * cancelled ones; every (re)subscription rings `wake` once to catch up.
 */
export function subscribeRunWakeups(
  db: TDb,
  handlers: { wake: () => void; cancelled: (runId: string) => void; log: Logger; channelName: string; timeoutMs?: number },
): TTableWakeups {
  let closing = false;
  let settle: (ok: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => {
    settle = resolve;
  });
  const timer = setTimeout(() => settle(false), handlers.timeoutMs ?? 5_000);
  const idOf = (row: unknown) => (typeof row === "object" && row !== null ? String((row as { id?: unknown }).id ?? "") : "");
  const channel: RealtimeChannel = db
    .channel(handlers.channelName)
    .on("postgres_changes", { event: "INSERT", schema: "public", table: "ai_runs" }, () => handlers.wake())
    .on("postgres_changes", { event: "UPDATE", schema: "public", table: "ai_runs", filter: "status=eq.queued" }, () => handlers.wake())
    .on("postgres_changes", { event: "UPDATE", schema: "public", table: "ai_runs", filter: "status=eq.cancelled" }, (payload) => {
      const runId = idOf(payload.new);
      if (runId) handlers.cancelled(runId);
    })
    .subscribe((status, err) => {
      if (status === "SUBSCRIBED") {
        clearTimeout(timer);
        settle(true);
        handlers.wake();
      } else if (!closing) {
        handlers.log.warn({ status, err }, "run wake-ups interrupted; polling and lease checks continue and the channel rejoins");
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
