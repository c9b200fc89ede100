import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { subscribeTableWakeups, type TTableWakeups } from "../worker/subscribe-table-wakeups.ts";

/**
 * Runs the skills check now on INSERTs into skills (a new project's built-in skills, a skill an
 * operator added), so a new skill gets its first verdict in seconds rather than at the next
 * SKILLS_CHECK_INTERVAL_MS. Realtime is a hint: the interval check still finds every skill.
 */
export function subscribeSkillWakeups(
  db: TDb,
  handlers: { wake: () => void; log: Logger; channelName: string; timeoutMs?: number },
): TTableWakeups {
  return subscribeTableWakeups(db, { ...handlers, table: "skills", event: "INSERT", what: "skills" });
}
