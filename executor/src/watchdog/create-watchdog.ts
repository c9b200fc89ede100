import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { createIntervalLoop, type TIntervalLoop } from "../worker/create-interval-loop.ts";
import { failStuckDeliveries } from "./fail-stuck-deliveries.ts";

/**
 * The watchdog loop: every `intervalMs` it fails deliveries stuck longer than `stuckAfterMs`
 * (2 minutes by default), so nothing waits forever after an executor dies; the UI offers Retry.
 */
export function createWatchdog(options: {
  db: TDb;
  intervalMs: number;
  stuckAfterMs: number;
  executorStartedAt: Date;
  log: Logger;
}): TIntervalLoop {
  const log = options.log.child({ worker: "watchdog" });
  return createIntervalLoop({
    name: "watchdog",
    intervalMs: options.intervalMs,
    log,
    tick: async () => {
      const failed = await failStuckDeliveries(options.db, {
        stuckAfterMs: options.stuckAfterMs,
        executorStartedAt: options.executorStartedAt,
      });
      for (const row of failed) {
        log.warn(
          { deliveryId: row.id, messageId: row.message_id, agentKey: row.agent_key, claimedBy: row.claimed_by, reason: row.error },
          "watchdog failed a stuck delivery",
        );
      }
    },
  });
}
