import type { TUsageDay } from "./read-usage-by-day.ts";

/** How the chart splits each day's bar. */
export type TUsageGrouping = "agent" | "model";
/** What the chart measures: tokens (input + output) or spend in US dollars. */
export type TUsageMetric = "tokens" | "usd";

/** Totals over a window of usage rows. */
export interface TUsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Spend of the priced calls; null when no call had a price. */
  costUsd: number | null;
  /** Models with tokens but no price: their calls count tokens only. */
  unpricedModels: string[];
}

/** One day of the chart: the value of each series that day (absent: 0). */
export interface TUsageChartDay {
  day: string;
  values: Record<string, number>;
}

/** The chart's data: one entry per UTC day of the window (oldest first) and its series, largest first. */
export interface TUsageChart {
  days: TUsageChartDay[];
  series: string[];
}

/** The series a chart keeps before it adds up the rest as OTHER_SERIES. */
export const MAX_SERIES = 8;
/** The series holding everything past the largest MAX_SERIES - 1. */
export const OTHER_SERIES = "Other";
/** The series name of calls whose agent was deleted since. */
export const REMOVED_AGENT_SERIES = "(removed agent)";

/** The UTC days of a window ending today, oldest first, as YYYY-MM-DD. */
export function listUtcDays(days: number, today: Date): string[] {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: days }, (_, index) => new Date(end - (days - 1 - index) * 86_400_000).toISOString().slice(0, 10));
}

/** Adds up calls, tokens and spend; spend is null when no call was priced. */
export function totalUsage(rows: readonly TUsageDay[]): TUsageTotals {
  const totals: TUsageTotals = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: null, unpricedModels: [] };
  const unpriced = new Set<string>();
  for (const row of rows) {
    totals.calls += row.calls;
    totals.inputTokens += row.input_tokens;
    totals.outputTokens += row.output_tokens;
    if (row.cost_usd !== null) totals.costUsd = (totals.costUsd ?? 0) + row.cost_usd;
    else if (row.input_tokens + row.output_tokens > 0) unpriced.add(row.model);
  }
  totals.unpricedModels = [...unpriced].sort();
  return totals;
}

function seriesOf(row: TUsageDay, grouping: TUsageGrouping): string {
  if (grouping === "model") return row.model;
  return row.agent_key === null ? REMOVED_AGENT_SERIES : `@${row.agent_key}`;
}

function metricValue(row: TUsageDay, metric: TUsageMetric): number {
  return metric === "tokens" ? row.input_tokens + row.output_tokens : (row.cost_usd ?? 0);
}

/**
 * Pivots usage rows into one bar per UTC day of the window, stacked by agent or by model. Rows
 * outside the window are ignored; past MAX_SERIES the smallest series are added up as "Other",
 * so the legend stays readable.
 */
export function buildUsageChart(
  rows: readonly TUsageDay[],
  options: { grouping: TUsageGrouping; metric: TUsageMetric; days: number; today: Date },
): TUsageChart {
  const dayList = listUtcDays(options.days, options.today);
  const inWindow = new Set(dayList);
  const totals = new Map<string, number>();
  for (const row of rows) {
    if (!inWindow.has(row.day)) continue;
    const key = seriesOf(row, options.grouping);
    totals.set(key, (totals.get(key) ?? 0) + metricValue(row, options.metric));
  }
  const ranked = [...totals.entries()]
    .filter(([, total]) => total > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key]) => key);
  const kept = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const keptSet = new Set(kept);
  const series = ranked.length > kept.length ? [...kept, OTHER_SERIES] : kept;

  const byDay = new Map(dayList.map((day) => [day, {} as Record<string, number>]));
  for (const row of rows) {
    const values = byDay.get(row.day);
    if (!values) continue;
    const value = metricValue(row, options.metric);
    if (value === 0) continue;
    const raw = seriesOf(row, options.grouping);
    const key = keptSet.has(raw) ? raw : OTHER_SERIES;
    values[key] = (values[key] ?? 0) + value;
  }
  return { days: dayList.map((day) => ({ day, values: byDay.get(day) ?? {} })), series };
}
