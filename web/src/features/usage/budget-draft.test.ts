import { describe, expect, it } from "vitest";
import { draftFromBudget, emptyBudgetDraft, parseBudgetDraft } from "./budget-draft.ts";

describe("parseBudgetDraft", () => {
  it("turns the form into a ZBudgetInput: project-wide, the limit without separators, the warning as a ratio", () => {
    const result = parseBudgetDraft({ ...emptyBudgetDraft(), hard_limit: "1,000,000", soft_percent: "75 %" });
    expect(result).toEqual({
      ok: true,
      input: { agent_id: null, period: "month", unit: "tokens", hard_limit: 1_000_000, soft_ratio: 0.75 },
    });
  });

  it("stores no warning when the threshold is empty, and dollars with cents", () => {
    const result = parseBudgetDraft({
      agent_id: "8f1d3c52-6f0e-4a53-9d4e-0c8a4c2b7a11",
      period: "day",
      unit: "usd",
      hard_limit: "2.50",
      soft_percent: "",
    });
    expect(result).toMatchObject({
      ok: true,
      input: { agent_id: "8f1d3c52-6f0e-4a53-9d4e-0c8a4c2b7a11", hard_limit: 2.5, soft_ratio: null },
    });
  });

  it("says what is wrong beside each field", () => {
    expect(parseBudgetDraft({ ...emptyBudgetDraft(), hard_limit: "1.5", soft_percent: "120" })).toEqual({
      ok: false,
      issues: { hard_limit: "must be a whole number of tokens", soft_ratio: "must be a percentage from 1 to 100, or empty" },
    });
    expect(parseBudgetDraft({ ...emptyBudgetDraft(), hard_limit: "0" })).toEqual({
      ok: false,
      issues: { hard_limit: "must be more than 0" },
    });
  });

  it("reads a stored budget back into the same form", () => {
    const draft = draftFromBudget({
      id: "b1",
      project_id: "p1",
      agent_id: null,
      period: "day",
      unit: "usd",
      hard_limit: 10,
      soft_ratio: 0.855,
      created_at: "",
      updated_at: "",
      seq: 1,
    });
    expect(draft).toEqual({ agent_id: "", period: "day", unit: "usd", hard_limit: "10", soft_percent: "85.5" });
  });
});
