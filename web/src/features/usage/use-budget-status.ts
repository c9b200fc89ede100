"use client";

import { useEffect, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { readBudgetStatus, type TBudgetStatus } from "./read-budget-status.ts";
import { selectLatestReplySeq } from "./select-latest-reply-seq.ts";
import { USAGE_REFRESH_MS } from "./use-usage-by-day.ts";

/** Spend per budget id, and why the last read failed. */
export interface TBudgetStatusState {
  byBudget: ReadonlyMap<string, TBudgetStatus>;
  error: string | null;
}

/**
 * The current period's spend of every budget of the project: read on mount, when a budget
 * is added, edited or deleted (`budgetsKey`), when an agent reply lands, and every 30 s while the tab is visible.
 */
export function useBudgetStatus(projectId: string, budgetsKey: string): TBudgetStatusState {
  const { client } = useProject();
  const replySeq = useLiveStore((state) => selectLatestReplySeq(state, projectId));
  const [state, setState] = useState<TBudgetStatusState>({ byBudget: new Map(), error: null });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") setTick((value) => value + 1);
    }, USAGE_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  // budgetsKey, replySeq and tick only trigger re-reads; the read itself does not use them.
  useEffect(() => {
    let current = true;
    readBudgetStatus(client, projectId).then(
      (rows) => current && setState({ byBudget: new Map(rows.map((row) => [row.budget_id, row])), error: null }),
      (err: unknown) => current && setState((prev) => ({ ...prev, error: err instanceof Error ? err.message : String(err) })),
    );
    return () => {
      current = false;
    };
  }, [client, projectId, budgetsKey, replySeq, tick]);

  return state;
}
