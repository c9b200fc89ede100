import type { TBudget } from "@mission-control/shared/rows";
import { formatTokens, formatUsd } from "./format-usage.ts";

/** An amount in a budget's unit: "1,000,000 tokens" or "$25.00". */
export function formatBudgetAmount(unit: TBudget["unit"], value: number): string {
  return unit === "tokens" ? `${formatTokens(value)} tokens` : formatUsd(value);
}

/** Who a budget caps: "Whole project" or "@backend" ("a removed agent" when it is not known). */
export function budgetScopeLabel(agentId: string | null, agentKeyById: ReadonlyMap<string, string>): string {
  if (agentId === null) return "Whole project";
  const key = agentKeyById.get(agentId);
  return key ? `@${key}` : "a removed agent";
}

/** "per UTC day" / "per UTC month". */
export function budgetPeriodLabel(period: TBudget["period"]): string {
  return period === "day" ? "per UTC day" : "per UTC month";
}

/** Where a budget's spend stands: under its soft threshold, past it, or at the hard limit. */
export type TBudgetLevel = "ok" | "warn" | "exceeded";

/** A budget's use of its period: the share used (0..1, capped) and its level. */
export function budgetUse(budget: Pick<TBudget, "hard_limit" | "soft_ratio">, spent: number): { share: number; level: TBudgetLevel } {
  const share = budget.hard_limit > 0 ? spent / budget.hard_limit : 1;
  const level: TBudgetLevel = share >= 1 ? "exceeded" : budget.soft_ratio !== null && share >= budget.soft_ratio ? "warn" : "ok";
  return { share: Math.min(1, Math.max(0, share)), level };
}

/** "12.5 %", "<0.1 %" for a sliver, "0 %". */
export function formatShare(spent: number, limit: number): string {
  if (spent <= 0 || limit <= 0) return "0 %";
  const percent = (spent / limit) * 100;
  if (percent < 0.1) return "<0.1 %";
  return `${percent >= 10 ? Math.round(percent) : percent.toFixed(1)} %`;
}
