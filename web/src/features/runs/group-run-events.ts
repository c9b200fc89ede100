import type { TRunEvent } from "@mission-control/shared/rows";

/** A stretch of a run's timeline one agent worked through. */
export interface TRunEventGroup {
  /** The agent of the stretch ("system" when nobody had spoken yet). */
  agentKey: string;
  events: TRunEvent[];
  /** Stable React key: the first event's id. */
  key: string;
}

/** The agent a hand-off event passes the run to, when it names one (the operator is no agent). */
function handedTo(event: TRunEvent): string | null {
  if (event.kind !== "handoff") return null;
  const to = event.data.to;
  return typeof to === "string" && to !== "" && to !== "operator" ? to.replace(/^@/, "") : null;
}

/**
 * A run's timeline as stretches per agent, oldest first (by seq: events are append-only). A
 * status change (the database writes it, under the run's first agent) and an event without an
 * agent belong to whoever holds the run; a hand-off closes its agent's stretch and the next such
 * event opens the new agent's. `firstAgentKey` is who held the run at its start.
 */
export function groupRunEventsByAgent(events: readonly TRunEvent[], firstAgentKey: string): TRunEventGroup[] {
  const sorted = [...events].sort((a, b) => a.seq - b.seq || Date.parse(a.created_at) - Date.parse(b.created_at));
  const groups: TRunEventGroup[] = [];
  let holder = firstAgentKey || "system";
  for (const event of sorted) {
    const agentKey = event.kind === "status" ? holder : (event.agent_key ?? holder);
    const last = groups.at(-1);
    if (last && last.agentKey === agentKey) last.events.push(event);
    else groups.push({ agentKey, events: [event], key: event.id });
    holder = handedTo(event) ?? agentKey;
    // A hand-off ends the stretch even when the next event names the same agent again.
    if (handedTo(event)) groups.push({ agentKey: holder, events: [], key: `${event.id}:after` });
  }
  return groups.filter((group) => group.events.length > 0);
}
