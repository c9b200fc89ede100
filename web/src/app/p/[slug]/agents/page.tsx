import { AgentRoster } from "@/features/agents/agent-roster.tsx";

/** Agents: the live roster. */
export default function AgentsPage() {
  return <AgentRoster />;
}
