import type { TAgent, TAgentStatus } from "@mission-control/shared/rows";

/** The Overview's agents tile: who is working now, out of how many enabled agents. */
export interface TWorkingAgents {
  working: { agent: TAgent; action: string }[];
  /** Enabled agents of the project (a disabled agent is not expected to work). */
  enabled: number;
  /** Enabled agents in error: the tile says so, they need the operator. */
  inError: number;
}

/** The project's agents whose live status is "working", by name, with what each is doing. */
export function selectWorkingAgents(
  agents: Readonly<Record<string, TAgent>>,
  statuses: Readonly<Record<string, TAgentStatus>>,
  projectId: string,
): TWorkingAgents {
  const mine = Object.values(agents).filter((a) => a.project_id === projectId && a.enabled);
  const working = mine
    .filter((a) => statuses[a.id]?.status === "working")
    .sort((a, b) => a.display_name.localeCompare(b.display_name))
    .map((agent) => ({ agent, action: statuses[agent.id]?.current_action ?? "" }));
  const inError = mine.filter((a) => statuses[a.id]?.status === "error").length;
  return { working, enabled: mine.length, inError };
}
