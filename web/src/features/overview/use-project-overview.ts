"use client";

import { useEffect, useRef, useState } from "react";
import type { TLiveState } from "../live/live-store.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { selectLatestReplySeq } from "../usage/select-latest-reply-seq.ts";
import { readProjectOverview, type TProjectOverview } from "./read-project-overview.ts";
import { nextReadDelay } from "./read-throttle.ts";

/** How often the overview is re-read when nothing on screen says it changed. */
export const OVERVIEW_REFRESH_MS = 30_000;
/** The least time between two reads prompted by live changes. */
export const OVERVIEW_MIN_GAP_MS = 2_000;

/** What the overview read has produced so far. */
export interface TOverviewState {
  data: TProjectOverview | null;
  /** False until the first read answered. */
  loaded: boolean;
  error: string | null;
}

/**
 * The highest seq of the project's deliveries in the store: it changes whenever realtime brings a
 * delivery that was queued, picked up, processed or failed (the store does not hold every
 * delivery, so the counts themselves come from the database).
 */
function selectLatestDeliverySeq(state: TLiveState, projectId: string): number {
  let latest = 0;
  for (const delivery of Object.values(state.rows.chat_delivery_queue)) {
    if (delivery.project_id === projectId && delivery.seq > latest) latest = delivery.seq;
  }
  return latest;
}

/**
 * The project's queue, today's spend and its last hour (`project_overview`): read on mount, again
 * (at most every 2 s) when a delivery or an agent reply changes in the live store, and every 30 s
 * while the tab is visible. A failed read keeps the last answer and says why.
 */
export function useProjectOverview(projectId: string): TOverviewState {
  const { client } = useProject();
  const deliverySeq = useLiveStore((state) => selectLatestDeliverySeq(state, projectId));
  const replySeq = useLiveStore((state) => selectLatestReplySeq(state, projectId));
  const [state, setState] = useState<TOverviewState>({ data: null, loaded: false, error: null });
  const [tick, setTick] = useState(0);
  const lastReadAt = useRef<number | null>(null);
  const reads = useRef(0);
  const shown = useRef(0);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") setTick((value) => value + 1);
    }, OVERVIEW_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  // Which project the answers are for: an answer arriving after a switch (or unmount) is dropped.
  // A read already under way when the next change arrives still lands, so a stream of changes
  // cannot starve the page of answers.
  const forProject = useRef<string | null>(projectId);
  useEffect(() => {
    forProject.current = projectId;
    return () => {
      forProject.current = null;
    };
  }, [projectId]);

  // deliverySeq, replySeq and tick only trigger re-reads; the read itself does not use them.
  useEffect(() => {
    const timer = setTimeout(
      () => {
        lastReadAt.current = Date.now();
        const number = ++reads.current;
        // Only the newest answer so far is shown: an older read finishing late does not turn numbers back.
        const fresh = () => {
          if (forProject.current !== projectId || number <= shown.current) return false;
          shown.current = number;
          return true;
        };
        readProjectOverview(client, projectId).then(
          (data) => fresh() && setState({ data, loaded: true, error: null }),
          (err: unknown) =>
            fresh() && setState((prev) => ({ ...prev, loaded: true, error: err instanceof Error ? err.message : String(err) })),
        );
      },
      nextReadDelay(lastReadAt.current, Date.now(), OVERVIEW_MIN_GAP_MS),
    );
    return () => clearTimeout(timer);
  }, [client, projectId, deliverySeq, replySeq, tick]);

  return state;
}
