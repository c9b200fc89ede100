import type { Metadata } from "next";
import { AgentPage } from "@/features/agents/agent-page.tsx";

/** "<agent key> · Agents": the key is in the URL; the display name is only known to the signed-in browser. */
export async function generateMetadata({ params }: { params: Promise<{ agentKey: string }> }): Promise<Metadata> {
  const { agentKey } = await params;
  return { title: `${decodeURIComponent(agentKey)} · Agents` };
}

/** One agent: live status, profile, brain docs, usage, recent work and proposals. */
export default async function AgentKeyPage({ params }: { params: Promise<{ agentKey: string }> }) {
  const { agentKey } = await params;
  return <AgentPage agentKey={decodeURIComponent(agentKey)} />;
}
