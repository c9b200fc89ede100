import { AppError } from "@mission-control/shared/errors";
import { z } from "zod";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/** A SQL numeric or bigint as JSON sends it: a number, or a string holding one. */
export const ZSqlNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i)
    .transform(Number),
]);

/** One row of `usage_by_day`: a UTC day's calls of one agent on one model. */
export const ZUsageDay = z.object({
  day: z.string().transform((day) => day.slice(0, 10)),
  agent_key: z.string().nullable(),
  model: z.string(),
  calls: ZSqlNumber,
  input_tokens: ZSqlNumber,
  output_tokens: ZSqlNumber,
  /** Null when the model has no price (Usage → Model prices). */
  cost_usd: ZSqlNumber.nullable(),
});
/** One row of `usage_by_day`. */
export type TUsageDay = z.infer<typeof ZUsageDay>;

/**
 * Reads the project's provider calls per day, agent and model (`usage_by_day`, under the member's
 * RLS), for the last `days` UTC days, optionally for one agent.
 */
export async function readUsageByDay(
  client: TBrowserClient,
  input: { projectId: string; days: number; agentId?: string },
): Promise<TUsageDay[]> {
  const { data, error } = await client.rpc("usage_by_day", {
    p_project_id: input.projectId,
    p_days: input.days,
    ...(input.agentId ? { p_agent_id: input.agentId } : {}),
  });
  if (error) {
    throw new AppError("database_unreachable", {
      message: `Could not read the usage: ${error.message}. Check the connection badge; the chart retries every 30 s.`,
      cause: error,
    });
  }
  return z.array(ZUsageDay).parse(data ?? []);
}
