import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { subscribeTableWakeups, type TTableWakeups } from "../worker/subscribe-table-wakeups.ts";

/**
 * Wakes the provision worker on INSERTs into agent_provision_requests (realtime is a hint: polling
 * still finds every request, so requests written in Backup mode apply when the executor returns).
 */
export function subscribeProvisionWakeups(
  db: TDb,
  handlers: { wake: () => void; log: Logger; channelName: string; timeoutMs?: number },
): TTableWakeups {
  return subscribeTableWakeups(db, { ...handlers, table: "agent_provision_requests", event: "INSERT", what: "provision" });
}
