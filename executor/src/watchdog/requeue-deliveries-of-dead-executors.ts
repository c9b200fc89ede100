import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** A delivery the watchdog took back from a dead executor: queued again, or failed when no attempt was left. */
export interface TRequeuedDelivery {
  id: string;
  message_id: string;
  agent_key: string;
  claimed_by: string;
  status: string;
  attempts: number;
  error: string;
}

/**
 * Puts the deliveries of dead executors back in the queue (requeue_deliveries_of_dead_executors):
 * an executor is dead when its presence row says it stopped, or when its last heartbeat is older
 * than `deadAfterMs` (three heartbeat intervals). Returns what changed.
 */
export async function requeueDeliveriesOfDeadExecutors(db: TDb, options: { deadAfterMs: number }): Promise<TRequeuedDelivery[]> {
  const { data, error } = await db.rpc("requeue_deliveries_of_dead_executors", {
    p_dead_after: `${Math.max(1000, Math.round(options.deadAfterMs))} milliseconds`,
  });
  if (error) throw readDbError(error, "The watchdog could not take back the deliveries of dead executors", "database_unreachable");
  return (data ?? []) as TRequeuedDelivery[];
}
