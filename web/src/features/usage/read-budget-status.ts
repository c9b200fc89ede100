import { AppError } from "@mission-control/shared/errors";
import { BUDGET_PERIODS, BUDGET_UNITS } from "@mission-control/shared/schemas";
import { z } from "zod";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { ZSqlNumber } from "./read-usage-by-day.ts";

/** One budget with its current UTC period's spend (`budget_status`; pending reservations count). */
export const ZBudgetStatus = z.object({
  budget_id: z.string(),
  agent_id: z.string().nullable(),
  agent_key: z.string().nullable(),
  period: z.enum(BUDGET_PERIODS),
  unit: z.enum(BUDGET_UNITS),
  hard_limit: ZSqlNumber,
  soft_ratio: ZSqlNumber.nullable(),
  period_start: z.string(),
  spent: ZSqlNumber,
  exceeded: z.boolean(),
});
/** One row of `budget_status`. */
export type TBudgetStatus = z.infer<typeof ZBudgetStatus>;

/** Reads each budget of the project with its current period's spend, under the member's RLS. */
export async function readBudgetStatus(client: TBrowserClient, projectId: string): Promise<TBudgetStatus[]> {
  const { data, error } = await client.rpc("budget_status", { p_project_id: projectId });
  if (error) {
    throw new AppError("database_unreachable", {
      message: `Could not read what the budgets have used: ${error.message}. Check the connection badge; this retries every 30 s.`,
      cause: error,
    });
  }
  return z.array(ZBudgetStatus).parse(data ?? []);
}
