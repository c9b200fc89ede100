import { allowedRisks, type TAgentPermissions } from "../context/describe-tools.ts";

/**
 * Why an agent may not make this proposal, in words for the reply's note, or null when it may: the
 * action must be one of its enabled tools and the risk within its risk tolerance (low: low only;
 * medium: up to medium; high: all). The action_proposals trigger enforces the same rule.
 */
export function checkProposalAllowed(
  agent: TAgentPermissions & { agent_key: string },
  proposal: { action_type: string; risk: string },
): string | null {
  if (!agent.tools_enabled.includes(proposal.action_type)) {
    const tools = agent.tools_enabled.length > 0 ? `its tools: ${agent.tools_enabled.join(", ")}` : "it has no tools enabled";
    return `@${agent.agent_key} may not use ${proposal.action_type} (${tools}); an operator can enable it on the agent's page`;
  }
  const risks = allowedRisks(agent.risk_tolerance);
  if (!risks.includes(proposal.risk)) {
    return `@${agent.agent_key} may propose risk up to ${risks.at(-1)}, and this proposal is ${proposal.risk} risk (its risk tolerance is ${agent.risk_tolerance}); an operator can raise it on the agent's page`;
  }
  return null;
}
