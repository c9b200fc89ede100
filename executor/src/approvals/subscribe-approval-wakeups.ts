import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { subscribeTableWakeups, type TTableWakeups } from "../worker/subscribe-table-wakeups.ts";

/**
 * Wakes the approval worker on UPDATEs of action_proposals that make a row `approved` (realtime is a
 * hint: polling still finds every approval).
 */
export function subscribeApprovalWakeups(
  db: TDb,
  handlers: { wake: () => void; log: Logger; channelName: string; timeoutMs?: number },
): TTableWakeups {
  return subscribeTableWakeups(db, {
    ...handlers,
    table: "action_proposals",
    event: "UPDATE",
    filter: "status=eq.approved",
    what: "approval",
  });
}
