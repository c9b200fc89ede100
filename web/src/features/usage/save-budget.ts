import { type TBudget, ZBudget } from "@mission-control/shared/rows";
import type { ZBudgetInput } from "@mission-control/shared/schemas";
import type { z } from "zod";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { databaseWriteError } from "../providers/database-write-error.ts";

/**
 * Creates a budget (no `id`) or updates one through RLS (operators and owners). A second budget
 * for the same scope, period and unit is refused with `scopeLabel` in the sentence.
 */
export async function saveBudget(
  client: TBrowserClient,
  input: { projectId: string; id?: string; budget: z.output<typeof ZBudgetInput>; scopeLabel: string },
): Promise<TBudget> {
  const { budget } = input;
  const query = input.id
    ? client.from("budgets").update(budget).eq("id", input.id).eq("project_id", input.projectId)
    : client.from("budgets").insert({ ...budget, project_id: input.projectId });
  const { data, error } = await query.select().maybeSingle();
  const words = {
    what: "budgets",
    conflict: `${input.scopeLabel} already has a ${budget.period === "day" ? "daily" : "monthly"} ${budget.unit === "usd" ? "USD" : "token"} budget: edit that one instead.`,
    inUse: "That agent no longer exists: pick another scope.",
  };
  if (error) throw databaseWriteError(error, words);
  if (!data) throw databaseWriteError({ code: "42501", message: "no row was written" }, words);
  return ZBudget.parse(data);
}
