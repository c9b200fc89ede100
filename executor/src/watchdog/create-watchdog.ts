import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { createIntervalLoop, type TIntervalLoop } from "../worker/create-interval-loop.ts";
import { expireActionProposals } from "./expire-action-proposals.ts";
import { failStuckDeliveries } from "./fail-stuck-deliveries.ts";
import { failUnknownOutcomeProposals } from "./fail-unknown-outcome-proposals.ts";
import { requestReconcileOfDeadExecutors } from "./request-reconcile-of-dead-executors.ts";
import { requeueDeliveriesOfDeadExecutors } from "./requeue-deliveries-of-dead-executors.ts";

/**
 * The watchdog loop: every `intervalMs` it first puts the deliveries of dead executors (stopped, or
 * silent for `deadAfterMs`) back in the queue with the attempt counted, so a killed executor's
 * work is picked up again without anyone clicking Retry; then it fails deliveries still stuck
 * longer than `stuckAfterMs` (2 minutes by default: an executor that is alive but hung, or one
 * that never announced itself), so nothing waits forever; the UI offers Retry.
 * It also fails proposals executing longer than `proposalStuckAfterMs` as "outcome unknown" (never
 * re-run) and expires proposals nobody decided in time.
 */
export function createWatchdog(options: {
  db: TDb;
  intervalMs: number;
  stuckAfterMs: number;
  /** An executor silent this long is dead (three heartbeat intervals). */
  deadAfterMs: number;
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
      for (const row of await requeueDeliveriesOfDeadExecutors(options.db, { deadAfterMs: options.deadAfterMs })) {
        const requeued = row.status === "queued";
        log[requeued ? "info" : "warn"](
          { deliveryId: row.id, messageId: row.message_id, agentKey: row.agent_key, claimedBy: row.claimed_by, attempts: row.attempts },
          requeued ? "watchdog requeued a dead executor's delivery" : "watchdog failed a dead executor's delivery: no attempt left",
        );
      }
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
      for (const row of [
        ...(await requestReconcileOfDeadExecutors(options.db, { deadAfterMs: options.deadAfterMs })),
        ...(await failUnknownOutcomeProposals(options.db, { stuckAfterMs: options.proposalStuckAfterMs })),
      ]) {
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
