import type { TChatDelivery } from "@mission-control/shared/rows";

/**
 * The agents busy on a message of this thread right now: a delivery the executor claimed
 * ("delivered") and has not finished. Sorted, each once, for "Lead is working…".
 */
export function selectWorkingAgents(deliveriesByMessage: ReadonlyMap<string, readonly TChatDelivery[]>): string[] {
  const keys = new Set<string>();
  for (const list of deliveriesByMessage.values()) {
    for (const d of list) if (d.status === "delivered") keys.add(d.agent_key);
  }
  return [...keys].sort();
}

/** "Lead is working…", "Lead and Web are working…", "Lead, Web and 2 more are working…". */
export function describeWorking(names: readonly string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is working…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are working…`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are working…`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} more are working…`;
}
