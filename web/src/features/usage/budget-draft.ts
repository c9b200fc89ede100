import type { TBudget } from "@mission-control/shared/rows";
import { type TBudgetInput, ZBudgetInput } from "@mission-control/shared/schemas";
import type { z } from "zod";
import { readFieldIssues, type TFieldIssues } from "../providers/read-field-issues.ts";

/** The budget form as typed. */
export interface TBudgetDraft {
  /** "" for the whole project, or an agent id. */
  agent_id: string;
  period: TBudgetInput["period"];
  unit: TBudgetInput["unit"];
  hard_limit: string;
  /** The warning threshold in percent of the hard limit; "" for no warning. */
  soft_percent: string;
}

/** A new budget's draft: the whole project, per month, in tokens, warning at 80 %. */
export function emptyBudgetDraft(): TBudgetDraft {
  return { agent_id: "", period: "month", unit: "tokens", hard_limit: "", soft_percent: "80" };
}

/** The draft of a stored budget, for editing it. */
export function draftFromBudget(budget: TBudget): TBudgetDraft {
  return {
    agent_id: budget.agent_id ?? "",
    period: budget.period,
    unit: budget.unit,
    hard_limit: String(budget.hard_limit),
    soft_percent: budget.soft_ratio === null ? "" : String(Math.round(budget.soft_ratio * 1000) / 10),
  };
}

/** A draft checked with the shared `ZBudgetInput`: the budget to write, or the problems per field. */
export type TBudgetDraftResult = { ok: true; input: z.output<typeof ZBudgetInput> } | { ok: false; issues: TFieldIssues };

/**
 * Validates the budget form with `ZBudgetInput`. A token limit is a whole number; the warning is
 * typed in percent (1 to 100, empty for none) and stored as a ratio.
 */
export function parseBudgetDraft(draft: TBudgetDraft): TBudgetDraftResult {
  const issues: Record<string, string> = {};
  const limitText = draft.hard_limit.trim().replace(/[,_\s]/g, "");
  const limitPattern = draft.unit === "tokens" ? /^\d+$/ : /^\d*\.?\d+$/;
  if (!limitPattern.test(limitText)) {
    issues.hard_limit = draft.unit === "tokens" ? "must be a whole number of tokens" : "must be an amount in US dollars, e.g. 25 or 2.50";
  }
  const percentText = draft.soft_percent.trim().replace(/%$/, "").trim();
  let softRatio: number | null = null;
  if (percentText !== "") {
    const percent = Number(percentText);
    if (!/^\d*\.?\d+$/.test(percentText) || percent <= 0 || percent > 100)
      issues.soft_ratio = "must be a percentage from 1 to 100, or empty";
    else softRatio = Math.round(percent * 10) / 1000;
  }
  const parsed = ZBudgetInput.safeParse({
    agent_id: draft.agent_id === "" ? null : draft.agent_id,
    period: draft.period,
    unit: draft.unit,
    hard_limit: Number(limitText),
    soft_ratio: softRatio,
  });
  if (!parsed.success) {
    for (const [field, message] of Object.entries(readFieldIssues(parsed.error))) issues[field] ??= message;
  }
  if (!parsed.success || Object.keys(issues).length > 0) return { ok: false, issues };
  return { ok: true, input: parsed.data };
}
