import type { TProposal } from "@mission-control/shared/rows";

/** The history's filters; "" means any. `since` and `until` are local dates (yyyy-mm-dd), inclusive. */
export interface THistoryFilter {
  status: string;
  agent: string;
  actionType: string;
  since: string;
  until: string;
}

export const NO_HISTORY_FILTER: THistoryFilter = { status: "", agent: "", actionType: "", since: "", until: "" };

/** A proposal past its expiry that nobody decided reads as expired, before the watchdog marks it. */
export function effectiveStatus(p: Pick<TProposal, "status" | "expires_at">, now: number): TProposal["status"] {
  return p.status === "proposed" && Date.parse(p.expires_at) <= now ? "expired" : p.status;
}

/** When a proposal left the inbox: decided, finished, or (undecided) expired. */
export function endedAt(p: Pick<TProposal, "status" | "resolved_at" | "finished_at" | "expires_at" | "updated_at">): string {
  return p.finished_at ?? p.resolved_at ?? (p.status === "proposed" ? p.expires_at : p.updated_at);
}

/** Local midnight of a yyyy-mm-dd date, or NaN. */
function localDay(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return y && m && d ? new Date(y, m - 1, d).getTime() : Number.NaN;
}

/**
 * The approvals history: every proposal of the project no longer waiting for a decision
 * (approved and running, executed, rejected, expired, failed), newest outcome first, narrowed by
 * status, proposing agent, action type and the date it ended.
 */
export function selectProposalHistory(
  proposals: Readonly<Record<string, TProposal>>,
  projectId: string,
  filter: THistoryFilter,
  now: number,
): TProposal[] {
  const since = filter.since ? localDay(filter.since) : Number.NaN;
  const until = filter.until ? localDay(filter.until) + 86_400_000 : Number.NaN;
  return Object.values(proposals)
    .filter((p) => p.project_id === projectId)
    .filter((p) => effectiveStatus(p, now) !== "proposed")
    .filter((p) => !filter.status || effectiveStatus(p, now) === filter.status)
    .filter((p) => !filter.agent || p.proposed_by_agent_key === filter.agent)
    .filter((p) => !filter.actionType || p.action_type === filter.actionType)
    .filter((p) => Number.isNaN(since) || Date.parse(endedAt(p)) >= since)
    .filter((p) => Number.isNaN(until) || Date.parse(endedAt(p)) < until)
    .sort((a, b) => Date.parse(endedAt(b)) - Date.parse(endedAt(a)) || b.id.localeCompare(a.id));
}
