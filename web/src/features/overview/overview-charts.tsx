"use client";

import { useId, useMemo } from "react";
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatLatency, formatMinute, summarizeHistory } from "./format-overview.ts";
import styles from "./overview.module.css";
import type { TOverviewMinute } from "./read-project-overview.ts";

const TOOLTIP = {
  contentStyle: { background: "var(--surface-3)", border: "1px solid var(--border-strong)", borderRadius: 6, fontSize: 12 },
  labelStyle: { color: "var(--text-1)" },
} as const;

/** Seconds on the latency axis: "0 s", "30 s", "2 min". */
function latencyTick(ms: number): string {
  return ms === 0 ? "0 s" : formatLatency(ms);
}

function ChartPanel(props: { title: string; summary: string; testId: string; children: React.ReactNode; empty: string | null }) {
  const headingId = useId();
  return (
    <section className={styles.panel} aria-labelledby={headingId} data-testid={props.testId}>
      <h2 className={styles.panelTitle} id={headingId}>
        {props.title}
      </h2>
      <figure className={styles.figure}>
        <figcaption className="visually-hidden">{props.summary}</figcaption>
        {props.empty ? (
          <p className={styles.chartEmpty}>{props.empty}</p>
        ) : (
          <div className={styles.chart} aria-hidden="true">
            {props.children}
          </div>
        )}
      </figure>
    </section>
  );
}

/**
 * The last hour per minute, as two small recharts charts: how many deliveries waited for an agent
 * at the end of each minute, and the reply latency (p50, p95) of the replies of each minute.
 * Screen readers get a one-line summary of each.
 */
export function OverviewCharts({ history, loaded }: { history: readonly TOverviewMinute[]; loaded: boolean }) {
  const summary = useMemo(() => summarizeHistory(history), [history]);
  const points = useMemo(() => history.map((m) => ({ ...m, label: formatMinute(m.minute) })), [history]);
  const loading = loaded ? null : "Loading the last hour…";
  return (
    <div className={styles.charts}>
      <ChartPanel
        title="Queue depth · last hour"
        testId="overview-queue-chart"
        summary={`Deliveries waiting for an agent, per minute over the last hour: at most ${summary.peakQueued}.`}
        empty={
          loading ??
          (summary.peakQueued === 0
            ? "Nothing waited for an agent in the last hour. Messages to agents (Team Room, DMs, task threads) queue here until one picks them up."
            : null)
        }
      >
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={points} margin={{ top: 6, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis dataKey="label" tickLine={false} axisLine={false} minTickGap={24} />
            <YAxis
              width={32}
              tickLine={false}
              axisLine={false}
              allowDecimals={false}
              domain={[0, (dataMax: number) => Math.max(dataMax, 1)]}
            />
            <Tooltip {...TOOLTIP} formatter={(value) => [String(value), "waiting"]} />
            <Area
              type="stepAfter"
              dataKey="queued"
              name="waiting"
              stroke="var(--accent)"
              fill="var(--accent-soft)"
              strokeWidth={1.5}
              isAnimationActive={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </ChartPanel>
      <ChartPanel
        title="Reply latency · last hour"
        testId="overview-latency-chart"
        summary={
          summary.replies === 0
            ? "No replies in the last hour."
            : `${summary.replies} replies in the last hour; the slowest minute's p95 was ${formatLatency(summary.worstP95)}.`
        }
        empty={loading ?? (summary.replies === 0 ? "No agent replied in the last hour: latency shows once one does." : null)}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 6, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis dataKey="label" tickLine={false} axisLine={false} minTickGap={24} />
            <YAxis width={52} tickLine={false} axisLine={false} tickFormatter={latencyTick} />
            <Tooltip {...TOOLTIP} formatter={(value, name) => [formatLatency(value === null ? null : Number(value)), name]} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {/* Lines join the minutes that had replies (most minutes have none); each dot is a minute with
                replies. p50 is drawn dashed over p95: with one reply in a minute they are the same. */}
            <Line
              type="monotone"
              dataKey="p95_ms"
              name="p95"
              stroke="var(--warn)"
              dot={{ r: 2.5 }}
              strokeWidth={1.5}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="p50_ms"
              name="p50"
              stroke="var(--ok)"
              strokeDasharray="4 3"
              dot={{ r: 1.5 }}
              strokeWidth={1.5}
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </ChartPanel>
    </div>
  );
}
