import styles from "./agents.module.css";
import { readContextUsage } from "./read-context-usage.ts";

/** A thin bar showing how full an agent's context was on its last run; the tooltip has the breakdown. */
export function ContextMeter({ usage, maxContextTokens }: { usage: Record<string, unknown>; maxContextTokens: number }) {
  const read = readContextUsage(usage, maxContextTokens);
  if (!read) return <span className="muted">—</span>;
  const percent = Math.min(100, Math.round((read.used / Math.max(1, read.max)) * 100));
  return (
    <span className={styles.meter} title={`${read.used} of ${read.max} tokens${read.breakdown ? `: ${read.breakdown}` : ""}`}>
      <meter className="visually-hidden" min={0} max={read.max} value={read.used} aria-label="Context used" />
      <span className={styles.meterTrack} aria-hidden="true">
        <span className={styles.meterFill} style={{ width: `${percent}%` }} data-high={percent >= 85 ? "" : undefined} />
      </span>
      <span className={styles.meterText}>{percent}%</span>
    </span>
  );
}
