import type { TProposal } from "@mission-control/shared/rows";

/**
 * The approvals inbox: every proposal of the project still waiting for a decision, oldest first.
 * A proposal past its expiry is left out even before the watchdog marks it expired: it can no
 * longer be approved.
 */
export function selectPendingProposals(proposals: Readonly<Record<string, TProposal>>, projectId: string, now: number): TProposal[] {
  return Object.values(proposals)
    .filter((p) => p.project_id === projectId && p.status === "proposed" && Date.parse(p.expires_at) > now)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id.localeCompare(b.id));
}
