import { describe, expect, it } from "vitest";
import { parseModelPriceDraft } from "./model-price-draft.ts";

describe("parseModelPriceDraft", () => {
  it("accepts dollars per million tokens, with or without a dollar sign", () => {
    expect(parseModelPriceDraft({ model: " gpt-4o-mini ", input_usd_per_mtok: "$0.15", output_usd_per_mtok: "0.6" })).toEqual({
      ok: true,
      price: { model: "gpt-4o-mini", input_usd_per_mtok: 0.15, output_usd_per_mtok: 0.6 },
    });
  });

  it("refuses a missing model and an amount that is not a number", () => {
    const result = parseModelPriceDraft({ model: "", input_usd_per_mtok: "cheap", output_usd_per_mtok: "1" });
    expect(result).toEqual({
      ok: false,
      issues: { model: "is required", input_usd_per_mtok: "must be an amount in US dollars per million tokens, e.g. 0.15" },
    });
  });
});
