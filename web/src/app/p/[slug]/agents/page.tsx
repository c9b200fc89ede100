import type { Metadata } from "next";
import { AgentRoster } from "@/features/agents/agent-roster.tsx";

export const metadata: Metadata = { title: "Agents" };

/** Agents: the live roster; operators add, enable / disable and (owners) delete agents. */
export default function AgentsPage() {
  return <AgentRoster />;
}
