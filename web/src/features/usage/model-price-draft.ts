import { ZModelPriceInput } from "@mission-control/shared/schemas";
import type { z } from "zod";
import { readFieldIssues, type TFieldIssues } from "../providers/read-field-issues.ts";

/** A model price as typed: US dollars per million tokens. */
export interface TModelPriceDraft {
  model: string;
  input_usd_per_mtok: string;
  output_usd_per_mtok: string;
}

/** A price checked with the shared `ZModelPriceInput`, or the problems per field. */
export type TModelPriceDraftResult = { ok: true; price: z.output<typeof ZModelPriceInput> } | { ok: false; issues: TFieldIssues };

/** Validates a typed price ("$0.15", "0.15" and "2,50"-free decimals) with `ZModelPriceInput`. */
export function parseModelPriceDraft(draft: TModelPriceDraft): TModelPriceDraftResult {
  const issues: Record<string, string> = {};
  const amount = (field: "input_usd_per_mtok" | "output_usd_per_mtok"): number => {
    const text = draft[field].trim().replace(/^\$/, "");
    if (!/^\d*\.?\d+$/.test(text)) {
      issues[field] = "must be an amount in US dollars per million tokens, e.g. 0.15";
      return 0;
    }
    return Number(text);
  };
  const parsed = ZModelPriceInput.safeParse({
    model: draft.model,
    input_usd_per_mtok: amount("input_usd_per_mtok"),
    output_usd_per_mtok: amount("output_usd_per_mtok"),
  });
  if (!parsed.success) {
    for (const [field, message] of Object.entries(readFieldIssues(parsed.error))) issues[field] ??= message;
  }
  if (!parsed.success || Object.keys(issues).length > 0) return { ok: false, issues };
  return { ok: true, price: parsed.data };
}
