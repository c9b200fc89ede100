import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { createIntervalLoop, type TIntervalLoop } from "../worker/create-interval-loop.ts";
import { expireActionProposals } from "./expire-action-proposals.ts";
import { failStuckDeliveries } from "./fail-stuck-deliveries.ts";
import { failUnknownOutcomeProposals } from "./fail-unknown-outcome-proposals.ts";

/**
 * The watchdog loop: every `intervalMs` it fails deliveries stuck longer than `stuckAfterMs`
 * (2 minutes by default), so nothing waits forever after an executor dies; the UI offers Retry.
 * It also fails proposals executing longer than `proposalStuckAfterMs` as "outcome unknown" (never
 * re-run) and expires proposals nobody decided in time.
 */
export function createWatchdog(options: {
  db: TDb;
  intervalMs: number;
  stuckAfterMs: number;
  proposalStuckAfterMs: number;
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
      for (const row of await failUnknownOutcomeProposals(options.db, { stuckAfterMs: options.proposalStuckAfterMs })) {
        log.warn(
          { proposalId: row.id, actionType: row.action_type, claimedBy: row.claimed_by, startedAt: row.execution_started_at },
          "watchdog failed a proposal stuck mid-action as outcome unknown",
        );
      }
      for (const row of await expireActionProposals(options.db)) {
        log.info({ proposalId: row.id, actionType: row.action_type, expiresAt: row.expires_at }, "watchdog expired an undecided proposal");
      }
    },
  });
}
