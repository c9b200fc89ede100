import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { subscribeTableWakeups, type TTableWakeups } from "../worker/subscribe-table-wakeups.ts";

/**
 * Runs the skills check now on INSERTs into skills (a new project's built-in skills, a skill an
 * operator added) and on UPDATEs (an operator edited the requirements of a skill they added), so a
 * new or edited skill gets its verdict in seconds rather than at the next SKILLS_CHECK_INTERVAL_MS.
 * Realtime is a hint: the interval check still finds every skill.
 */
export function subscribeSkillWakeups(
  db: TDb,
  handlers: { wake: () => void; log: Logger; channelName: string; timeoutMs?: number },
): TTableWakeups {
  const subscriptions = (["INSERT", "UPDATE"] as const).map((event) =>
    subscribeTableWakeups(db, {
      ...handlers,
      channelName: `${handlers.channelName}-${event.toLowerCase()}`,
      table: "skills",
      event,
      what: event === "INSERT" ? "new skills" : "edited skills",
    }),
  );
  return {
    ready: Promise.all(subscriptions.map((s) => s.ready)).then((all) => all.every(Boolean)),
    close: async () => {
      await Promise.all(subscriptions.map((s) => s.close()));
    },
  };
}
