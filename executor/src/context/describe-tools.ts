import { RISK_LEVELS } from "@mission-control/shared/schemas";

/** What an agent may propose: its enabled tools and the highest risk it may propose. */
export type TAgentPermissions = { tools_enabled: readonly string[]; risk_tolerance: string };

/** The risks an agent with `tolerance` may propose (low: low only; medium: up to medium; high: all). */
export function allowedRisks(tolerance: string): readonly string[] {
  const rank = RISK_LEVELS.indexOf(tolerance as (typeof RISK_LEVELS)[number]);
  return RISK_LEVELS.slice(0, rank < 0 ? 1 : rank + 1);
}

/**
 * The Tools section of an agent's prompt: which actions it may propose (with a ```proposal block,
 * for an operator's approval) and the highest risk it may give them, so it does not propose what
 * would be refused.
 */
export function describeTools(agent: TAgentPermissions): string {
  if (agent.tools_enabled.length === 0) {
    return "You have no tools enabled, so you may not propose actions; answer in words only (an operator can enable tools on your page).";
  }
  const risks = allowedRisks(agent.risk_tolerance);
  return [
    `You may propose these actions for an operator's approval, one per reply in a \`\`\`proposal block: ${agent.tools_enabled.join(", ")}.`,
    `Give each proposal a risk of ${risks.join(" or ")}; any other action, or a higher risk, is refused.`,
  ].join("\n");
}
