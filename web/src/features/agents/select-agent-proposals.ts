import type { TProposal } from "@mission-control/shared/rows";

/** An agent's proposals for its page: the latest ones and how many ended each way. */
export interface TAgentProposals {
  latest: TProposal[];
  /** Per status, over every proposal of the agent the dashboard holds. */
  counts: Partial<Record<TProposal["status"], number>>;
  total: number;
}

/** The proposals `agentKey` made in the project, newest first (at most `limit`), with counts per status. */
export function selectAgentProposals(proposals: Iterable<TProposal>, projectId: string, agentKey: string, limit: number): TAgentProposals {
  const mine = [...proposals].filter((p) => p.project_id === projectId && p.proposed_by_agent_key === agentKey);
  const counts: TAgentProposals["counts"] = {};
  for (const proposal of mine) counts[proposal.status] = (counts[proposal.status] ?? 0) + 1;
  const latest = mine.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.seq - a.seq).slice(0, limit);
  return { latest, counts, total: mine.length };
}
