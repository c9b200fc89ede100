"use client";

import Link from "next/link";
import { useProject } from "../projects/project-context.tsx";
import { formatTokens, formatUsd } from "./format-usage.ts";
import type { TUsageTotals } from "./summarize-usage.ts";
import styles from "./usage.module.css";

/** Totals of a usage window: tokens in and out, calls, spend ("—" when no call had a price). */
export function UsageTotals({ totals, days }: { totals: TUsageTotals; days: number }) {
  const { project } = useProject();
  const unpriced = totals.unpricedModels;
  return (
    <>
      <dl className={styles.totals} aria-label={`Totals over the last ${days} days`}>
        <div>
          <dt>Input tokens</dt>
          <dd>{formatTokens(totals.inputTokens)}</dd>
        </div>
        <div>
          <dt>Output tokens</dt>
          <dd>{formatTokens(totals.outputTokens)}</dd>
        </div>
        <div>
          <dt>Calls</dt>
          <dd>{formatTokens(totals.calls)}</dd>
        </div>
        <div>
          <dt>Spend</dt>
          <dd title={totals.costUsd === null ? "No call in this window had a price" : undefined}>{formatUsd(totals.costUsd)}</dd>
        </div>
      </dl>
      {unpriced.length > 0 ? (
        <p className={styles.hint}>
          No price for {unpriced.join(", ")}: {unpriced.length === 1 ? "its calls count" : "their calls count"} tokens only. Add prices in{" "}
          <Link href={`/p/${project.slug}/usage#model-prices`}>Usage → Model prices</Link>.
        </p>
      ) : null}
    </>
  );
}
