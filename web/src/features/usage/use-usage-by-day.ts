"use client";

import { useEffect, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { readUsageByDay, type TUsageDay } from "./read-usage-by-day.ts";
import { selectLatestReplySeq } from "./select-latest-reply-seq.ts";

/** How often usage is re-read when nothing on screen says it changed. */
export const USAGE_REFRESH_MS = 30_000;

/** What a usage read has produced so far. */
export interface TUsageState {
  rows: TUsageDay[];
  /** False until the first read answered. */
  loaded: boolean;
  error: string | null;
}

/**
 * Usage per day, agent and model of the project (or one agent) over the last `days` days: read
 * on mount, again when a new agent reply arrives in the store, and every 30 s while the tab is
 * visible. A failed read keeps the last rows and says why.
 */
export function useUsageByDay(input: { projectId: string; agentId?: string; days: number }): TUsageState {
  const { client } = useProject();
  const { projectId, agentId, days } = input;
  const replySeq = useLiveStore((state) => selectLatestReplySeq(state, projectId, agentId));
  const [state, setState] = useState<TUsageState>({ rows: [], loaded: false, error: null });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") setTick((value) => value + 1);
    }, USAGE_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  // replySeq and tick only trigger re-reads; the read itself does not use them.
  useEffect(() => {
    let current = true;
    readUsageByDay(client, { projectId, agentId, days }).then(
      (rows) => current && setState({ rows, loaded: true, error: null }),
      (err: unknown) => current && setState((prev) => ({ ...prev, loaded: true, error: err instanceof Error ? err.message : String(err) })),
    );
    return () => {
      current = false;
    };
  }, [client, projectId, agentId, days, replySeq, tick]);

  return state;
}
