"use client";

import { useId, useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDay, formatTokens, formatTokensCompact, formatUsd } from "./format-usage.ts";
import {
  buildUsageChart,
  OTHER_SERIES,
  type TUsageChartDay,
  type TUsageGrouping,
  type TUsageMetric,
  totalUsage,
} from "./summarize-usage.ts";
import styles from "./usage.module.css";
import { UsageTotals } from "./usage-totals.tsx";
import { useUsageByDay } from "./use-usage-by-day.ts";

const WINDOWS = [7, 30, 90] as const;
// Distinct in the dark and the light theme; "Other" is always the neutral grey.
const PALETTE = ["#6e9bff", "#4cc38a", "#e5b454", "#9d7bff", "#ef6b6b", "#4fc1d6", "#d67bc0", "#a3b35a"];
const OTHER_COLOR = "#7c8594";

/** Props of UsageChart. */
export interface TUsageChartProps {
  projectId: string;
  /** Only this agent's calls (the agent page); the chart then splits by model only. */
  agentId?: string;
}

function Segmented<T extends string | number>(props: {
  label: string;
  value: T;
  options: readonly { value: T; label: string; title?: string }[];
  onChange: (value: T) => void;
}) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a toolbar of toggle buttons, not a fieldset of a form
    <div className={styles.segmented} role="group" aria-label={props.label}>
      {props.options.map((option) => (
        <button
          key={String(option.value)}
          type="button"
          aria-pressed={props.value === option.value}
          onClick={() => props.onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}

/**
 * Tokens or spend per UTC day as stacked bars (recharts), by agent or by model, with totals of
 * tokens in/out, calls and spend ("—" when no call had a price). Reads `usage_by_day` itself and
 * re-reads it when an agent reply arrives or every 30 s. Screen readers get a summary and a table
 * of the same numbers.
 */
export function UsageChart({ projectId, agentId }: TUsageChartProps) {
  const [metric, setMetric] = useState<TUsageMetric>("tokens");
  const [chosenGrouping, setGrouping] = useState<TUsageGrouping>("agent");
  const [days, setDays] = useState<number>(30);
  const grouping: TUsageGrouping = agentId ? "model" : chosenGrouping;
  const usage = useUsageByDay({ projectId, agentId, days });
  const headingId = useId();

  const totals = useMemo(() => totalUsage(usage.rows), [usage.rows]);
  const chart = useMemo(
    () => buildUsageChart(usage.rows, { grouping, metric, days, today: new Date() }),
    [usage.rows, grouping, metric, days],
  );
  const format = metric === "tokens" ? formatTokens : (value: number) => formatUsd(value);
  const colorOf = (series: string, index: number) =>
    series === OTHER_SERIES ? OTHER_COLOR : (PALETTE[index % PALETTE.length] ?? OTHER_COLOR);
  const usedDays = chart.days.filter((day) => Object.keys(day.values).length > 0);
  const measure = metric === "tokens" ? "Tokens" : "Spend";
  const seriesTotals = chart.series.map((series) => ({
    series,
    total: chart.days.reduce((sum, day) => sum + (day.values[series] ?? 0), 0),
  }));
  const summary =
    chart.series.length === 0
      ? `No ${metric === "tokens" ? "tokens" : "priced spend"} in the last ${days} days.`
      : `${measure} per day over the last ${days} days, by ${grouping}: ${seriesTotals.map((s) => `${s.series} ${format(s.total)}`).join(", ")}.`;

  return (
    <section className={styles.panel} aria-labelledby={headingId}>
      <header className={styles.panelHead}>
        <h2 className={styles.panelTitle} id={headingId}>
          {measure} per day
        </h2>
        <div className={styles.toolbar}>
          <Segmented
            label="Measure"
            value={metric}
            onChange={setMetric}
            options={[
              { value: "tokens", label: "Tokens" },
              { value: "usd", label: "Spend" },
            ]}
          />
          {agentId ? null : (
            <Segmented
              label="Split by"
              value={chosenGrouping}
              onChange={setGrouping}
              options={[
                { value: "agent", label: "By agent" },
                { value: "model", label: "By model" },
              ]}
            />
          )}
          <Segmented
            label="Window"
            value={days}
            onChange={setDays}
            options={WINDOWS.map((value) => ({ value, label: `${value}d`, title: `Last ${value} days` }))}
          />
        </div>
      </header>
      <UsageTotals totals={totals} days={days} />
      {usage.error ? (
        <p role="alert" className={styles.error}>
          {usage.error}
        </p>
      ) : null}
      <figure className={styles.figure}>
        <figcaption className="visually-hidden">{summary}</figcaption>
        {!usage.loaded ? (
          <p className={styles.empty}>Loading usage…</p>
        ) : chart.series.length === 0 ? (
          <p className={styles.empty}>
            {metric === "usd" && totals.calls > 0
              ? "No spend to show: the models used have no price yet (Usage → Model prices)."
              : `No provider calls in the last ${days} days.`}
          </p>
        ) : (
          <div className={styles.chart} aria-hidden="true">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={chart.days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
                <CartesianGrid vertical={false} stroke="var(--border)" />
                <XAxis dataKey="day" tickFormatter={formatDay} tickLine={false} axisLine={false} minTickGap={16} />
                <YAxis
                  width={56}
                  tickLine={false}
                  axisLine={false}
                  tickFormatter={(value: number) => (metric === "tokens" ? formatTokensCompact(value) : formatUsd(value))}
                />
                <Tooltip
                  cursor={{ fill: "var(--accent-soft)" }}
                  contentStyle={{ background: "var(--surface-3)", border: "1px solid var(--border-strong)", borderRadius: 6, fontSize: 12 }}
                  labelStyle={{ color: "var(--text-1)" }}
                  labelFormatter={(day) => formatDay(String(day))}
                  formatter={(value) => format(Number(value))}
                />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                {chart.series.map((series, index) => (
                  <Bar
                    key={series}
                    name={series}
                    dataKey={(day: TUsageChartDay) => day.values[series] ?? 0}
                    stackId="usage"
                    fill={colorOf(series, index)}
                    isAnimationActive={false}
                    maxBarSize={28}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
        {chart.series.length > 0 ? (
          <table className="visually-hidden">
            <caption>
              {measure} per day by {grouping} (days without calls are left out)
            </caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {chart.series.map((series) => (
                  <th key={series} scope="col">
                    {series}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {usedDays.map((day) => (
                <tr key={day.day}>
                  <th scope="row">{formatDay(day.day)}</th>
                  {chart.series.map((series) => (
                    <td key={series}>{format(day.values[series] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </figure>
    </section>
  );
}
