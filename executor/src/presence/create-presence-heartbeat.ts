import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { createIntervalLoop, type TIntervalLoop } from "../worker/create-interval-loop.ts";
import { touchPresence } from "./touch-presence.ts";

/** The heartbeat loop: stamps executor_presence.last_seen_at every `intervalMs`. */
export function createPresenceHeartbeat(options: { db: TDb; executorId: string; intervalMs: number; log: Logger }): TIntervalLoop {
  return createIntervalLoop({
    name: "presence",
    intervalMs: options.intervalMs,
    log: options.log.child({ worker: "presence" }),
    tick: () => touchPresence(options.db, options.executorId),
  });
}
