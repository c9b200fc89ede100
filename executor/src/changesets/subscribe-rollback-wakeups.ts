import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { subscribeTableWakeups, type TTableWakeups } from "../worker/subscribe-table-wakeups.ts";

/**
 * Wakes the rollback worker on UPDATEs of applied changesets (an operator requesting a rollback is
 * one); realtime is a hint: polling still finds every request.
 */
export function subscribeRollbackWakeups(
  db: TDb,
  handlers: { wake: () => void; log: Logger; channelName: string; timeoutMs?: number },
): TTableWakeups {
  return subscribeTableWakeups(db, { ...handlers, table: "changesets", event: "UPDATE", filter: "status=eq.applied", what: "rollback" });
}
