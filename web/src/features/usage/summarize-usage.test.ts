import { describe, expect, it } from "vitest";
import type { TUsageDay } from "./read-usage-by-day.ts";
import { buildUsageChart, listUtcDays, MAX_SERIES, OTHER_SERIES, REMOVED_AGENT_SERIES, totalUsage } from "./summarize-usage.ts";

const TODAY = new Date("2026-11-30T15:00:00Z");

function row(over: Partial<TUsageDay>): TUsageDay {
  return {
    day: "2026-11-30",
    agent_key: "lead",
    model: "gpt-4o-mini",
    calls: 1,
    input_tokens: 100,
    output_tokens: 20,
    cost_usd: 0.001,
    ...over,
  };
}

describe("listUtcDays", () => {
  it("lists the UTC days of the window ending today, oldest first, across a month boundary", () => {
    expect(listUtcDays(3, new Date("2026-12-01T00:30:00Z"))).toEqual(["2026-11-29", "2026-11-30", "2026-12-01"]);
  });
});

describe("totalUsage", () => {
  it("adds up calls and tokens, and spend only over the priced calls", () => {
    const totals = totalUsage([row({ cost_usd: 0.5 }), row({ model: "local-llama", cost_usd: null, calls: 2 }), row({ cost_usd: 0.25 })]);
    expect(totals).toEqual({ calls: 4, inputTokens: 300, outputTokens: 60, costUsd: 0.75, unpricedModels: ["local-llama"] });
  });

  it("has no spend (null, shown as —) when no call had a price", () => {
    expect(totalUsage([row({ cost_usd: null })]).costUsd).toBeNull();
    expect(totalUsage([]).costUsd).toBeNull();
  });
});

describe("buildUsageChart", () => {
  it("gives one entry per day of the window, stacked by agent, and ignores rows outside it", () => {
    const chart = buildUsageChart(
      [
        row({ day: "2026-11-30", agent_key: "lead" }),
        row({ day: "2026-11-30", agent_key: "backend", input_tokens: 1000, output_tokens: 0 }),
        row({ day: "2026-11-29", agent_key: "lead", model: "gpt-4.1" }),
        row({ day: "2026-11-01", agent_key: "old" }),
      ],
      { grouping: "agent", metric: "tokens", days: 2, today: TODAY },
    );
    expect(chart.series).toEqual(["@backend", "@lead"]);
    expect(chart.days).toEqual([
      { day: "2026-11-29", values: { "@lead": 120 } },
      { day: "2026-11-30", values: { "@lead": 120, "@backend": 1000 } },
    ]);
  });

  it("splits by model and measures spend, leaving out unpriced calls", () => {
    const chart = buildUsageChart(
      [
        row({ model: "gpt-4.1", cost_usd: 0.2 }),
        row({ model: "local", cost_usd: null }),
        row({ model: "gpt-4.1", agent_key: "b", cost_usd: 0.1 }),
      ],
      { grouping: "model", metric: "usd", days: 1, today: TODAY },
    );
    expect(chart.series).toEqual(["gpt-4.1"]);
    expect(chart.days[0]?.values["gpt-4.1"]).toBeCloseTo(0.3);
  });

  it("names calls of a deleted agent and adds up the smallest series as Other past the limit", () => {
    const rows = Array.from({ length: MAX_SERIES + 2 }, (_, index) =>
      row({ agent_key: index === 0 ? null : `a${index}`, input_tokens: 1000 - index * 10, output_tokens: 0 }),
    );
    const chart = buildUsageChart(rows, { grouping: "agent", metric: "tokens", days: 1, today: TODAY });
    expect(chart.series).toHaveLength(MAX_SERIES);
    expect(chart.series[0]).toBe(REMOVED_AGENT_SERIES);
    expect(chart.series.at(-1)).toBe(OTHER_SERIES);
    const values = chart.days[0]?.values ?? {};
    expect(values[OTHER_SERIES]).toBe(1000 - 7 * 10 + (1000 - 8 * 10) + (1000 - 9 * 10));
    expect(Object.values(values).reduce((a, b) => a + b, 0)).toBe(rows.reduce((sum, r) => sum + r.input_tokens, 0));
  });
});
