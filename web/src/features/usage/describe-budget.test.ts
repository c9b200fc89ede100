import { describe, expect, it } from "vitest";
import { budgetScopeLabel, budgetUse, formatBudgetAmount, formatShare } from "./describe-budget.ts";

describe("budgetUse", () => {
  it("is ok under the warning, warn past it, and exceeded at the hard limit (the bar never passes full)", () => {
    expect(budgetUse({ hard_limit: 1000, soft_ratio: 0.8 }, 500)).toEqual({ share: 0.5, level: "ok" });
    expect(budgetUse({ hard_limit: 1000, soft_ratio: 0.8 }, 800)).toEqual({ share: 0.8, level: "warn" });
    expect(budgetUse({ hard_limit: 1000, soft_ratio: 0.8 }, 1200)).toEqual({ share: 1, level: "exceeded" });
    expect(budgetUse({ hard_limit: 1000, soft_ratio: null }, 999).level).toBe("ok");
  });
});

describe("budget words", () => {
  it("names the scope, the amount in its unit and the share used", () => {
    const keys = new Map([["a1", "backend"]]);
    expect(budgetScopeLabel(null, keys)).toBe("Whole project");
    expect(budgetScopeLabel("a1", keys)).toBe("@backend");
    expect(budgetScopeLabel("gone", keys)).toBe("a removed agent");
    expect(formatBudgetAmount("tokens", 5_000_000)).toBe("5,000,000 tokens");
    expect(formatBudgetAmount("usd", 25)).toBe("$25.00");
    expect(formatShare(0, 100)).toBe("0 %");
    expect(formatShare(1, 5_000_000)).toBe("<0.1 %");
    expect(formatShare(45, 1000)).toBe("4.5 %");
    expect(formatShare(125, 1000)).toBe("13 %");
    expect(formatShare(1020, 1000)).toBe("102 %");
  });
});
