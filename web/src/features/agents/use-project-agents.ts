"use client";

import type { TAgent, TAgentStatus } from "@mission-control/shared/rows";
import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";

/** An agent with its live status. */
export interface TAgentWithStatus {
  agent: TAgent;
  status: TAgentStatus | undefined;
}

/** The project's agents (lead first, then by name) with their live status. */
export function useProjectAgents(projectId: string): TAgentWithStatus[] {
  const agents = useLiveStore((s) => s.rows.agents);
  const statuses = useLiveStore((s) => s.rows.agent_status);
  return useMemo(
    () =>
      Object.values(agents)
        .filter((a) => a.project_id === projectId)
        .sort((a, b) => Number(b.agent_key === "lead") - Number(a.agent_key === "lead") || a.display_name.localeCompare(b.display_name))
        .map((agent) => ({ agent, status: statuses[agent.id] })),
    [agents, statuses, projectId],
  );
}
