import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { subscribeTableWakeups, type TTableWakeups } from "../worker/subscribe-table-wakeups.ts";

/**
 * Wakes the invite mailer on new invites and on invites queued again (an owner re-invited the
 * address). Realtime is a hint: polling still finds every queued invite.
 */
export function subscribeInviteWakeups(db: TDb, handlers: { wake: () => void; log: Logger; channelName: string }): TTableWakeups {
  const inserts = subscribeTableWakeups(db, { ...handlers, table: "project_invites", event: "INSERT", what: "invite" });
  const requeues = subscribeTableWakeups(db, {
    ...handlers,
    channelName: `${handlers.channelName}-requeued`,
    table: "project_invites",
    event: "UPDATE",
    filter: "status=eq.queued",
    what: "invite requeue",
  });
  return {
    ready: Promise.all([inserts.ready, requeues.ready]).then(([a, b]) => a && b),
    async close() {
      await Promise.all([inserts.close(), requeues.close()]);
    },
  };
}
