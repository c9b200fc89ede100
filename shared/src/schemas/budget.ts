import { z } from "zod";
import { BUDGET_PERIODS, BUDGET_UNITS } from "./column-enums.ts";

/**
 * A budget: a hard limit per UTC day or month, in tokens (input + output) or US dollars, for the
 * whole project (agent_id null) or one agent. A call that would pass the hard limit is not made;
 * crossing `soft_ratio` of it posts one warning activity per period.
 */
export const ZBudgetInput = z.object({
  agent_id: z.guid().nullable().default(null),
  period: z.enum(BUDGET_PERIODS),
  unit: z.enum(BUDGET_UNITS),
  hard_limit: z.number().positive("must be more than 0").max(1e12),
  soft_ratio: z.number().gt(0, "must be more than 0").max(1, "must be at most 1 (100 %)").nullable().default(0.8),
});
/** A budget as written. */
export type TBudgetInput = z.input<typeof ZBudgetInput>;

/** A model's price in US dollars per million tokens (project-wide; unknown models count tokens only). */
export const ZModelPriceInput = z.object({
  model: z.string().trim().min(1, "is required").max(200),
  input_usd_per_mtok: z.number().min(0).max(10_000),
  output_usd_per_mtok: z.number().min(0).max(10_000),
});
/** A model price as written. */
export type TModelPriceInput = z.input<typeof ZModelPriceInput>;
