import { z } from "zod";
import { BUDGET_PERIODS, BUDGET_UNITS } from "../schemas/column-enums.ts";
import { nullableNumeric, numeric, seq } from "./edge-fields.ts";

/** A budget: a hard limit per UTC day or month in tokens or USD, for the project (agent_id null) or one agent. */
export const ZBudget = z.object({
  id: z.string(),
  project_id: z.string(),
  agent_id: z.string().nullable(),
  period: z.enum(BUDGET_PERIODS),
  unit: z.enum(BUDGET_UNITS),
  hard_limit: numeric,
  soft_ratio: nullableNumeric,
  created_at: z.string(),
  updated_at: z.string(),
  seq,
});
/** A budgets row. */
export type TBudget = z.infer<typeof ZBudget>;

/** A model's price in the project, in US dollars per million input and output tokens. */
export const ZModelPrice = z.object({
  project_id: z.string(),
  model: z.string(),
  input_usd_per_mtok: numeric,
  output_usd_per_mtok: numeric,
  updated_at: z.string(),
  seq,
});
/** A model_prices row. */
export type TModelPrice = z.infer<typeof ZModelPrice>;
