import { AgentPage } from "@/features/agents/agent-page.tsx";

/** One agent: live status, profile, brain docs, usage, recent work and proposals. */
export default async function AgentKeyPage({ params }: { params: Promise<{ agentKey: string }> }) {
  const { agentKey } = await params;
  return <AgentPage agentKey={decodeURIComponent(agentKey)} />;
}
