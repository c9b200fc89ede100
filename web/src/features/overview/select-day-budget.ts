import type { TBudget } from "@mission-control/shared/rows";

/** The project-wide budget per UTC day in US dollars, if there is one: the spend tile shows today's spend against it. */
export function selectDayUsdBudget(budgets: Readonly<Record<string, TBudget>>, projectId: string): TBudget | null {
  return (
    Object.values(budgets).find((b) => b.project_id === projectId && b.agent_id === null && b.period === "day" && b.unit === "usd") ?? null
  );
}
