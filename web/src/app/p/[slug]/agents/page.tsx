import { AgentRoster } from "@/features/agents/agent-roster.tsx";

/** Agents: the live roster; operators add, enable / disable and (owners) delete agents. */
export default function AgentsPage() {
  return <AgentRoster />;
}
