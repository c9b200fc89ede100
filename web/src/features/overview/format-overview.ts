import { formatDuration } from "../approvals/format-age.ts";
import type { TOverviewMinute } from "./read-project-overview.ts";

/** A reply latency for a tile or a tooltip: "850 ms", "4.2 s", "45 s", "2 min 5 s"; null is "—". */
export function formatLatency(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return rest === 0 ? `${Math.floor(seconds / 60)} min` : `${Math.floor(seconds / 60)} min ${rest} s`;
}

/** A wait for a tile's big number: "<1 min", "12 min", "5 h", "3 d". */
export function formatWaitShort(ms: number): string {
  if (ms < 60_000) return "<1 min";
  return formatDuration(ms);
}

/** "10:42" for a chart's minute, on the operator's clock (or `timeZone`, for tests). */
export function formatMinute(iso: string, timeZone?: string): string {
  return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
}

/** "1 delivery" / "3 deliveries". */
export function countOf(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What an hour of history comes to: the deepest queue, the replies and the slowest p95 (null without replies). */
export interface THistorySummary {
  peakQueued: number;
  replies: number;
  worstP95: number | null;
  /** False when nothing waited and nothing was answered all hour: the charts show an empty state. */
  hasData: boolean;
}

/** Sums up an hour of history for the charts' captions and empty states. */
export function summarizeHistory(history: readonly TOverviewMinute[]): THistorySummary {
  let peakQueued = 0;
  let replies = 0;
  let worstP95: number | null = null;
  for (const minute of history) {
    peakQueued = Math.max(peakQueued, minute.queued);
    replies += minute.replies;
    if (minute.p95_ms !== null) worstP95 = Math.max(worstP95 ?? 0, minute.p95_ms);
  }
  return { peakQueued, replies, worstP95, hasData: peakQueued > 0 || replies > 0 };
}
