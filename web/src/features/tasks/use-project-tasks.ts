"use client";

import type { TTask } from "@mission-control/shared/rows";
import { useEffect, useMemo, useState } from "react";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { mergeRows } from "../live/merge-rows.ts";

const taskKey = (task: TTask) => task.id;

/**
 * The project's tasks from the live store, with `start` (tasks the server rendered the page with)
 * among them. The start's tasks go into the store once the browser has taken the page over; until
 * then they are merged in here, so the browser's first render shows what the server's did.
 */
export function useProjectTasks(projectId: string, start: readonly TTask[] | null = null): TTask[] {
  const store = useLiveStoreApi();
  const rows = useLiveStore((s) => s.rows.tasks);
  const [stored, setStored] = useState<readonly TTask[] | null>(null);
  useEffect(() => {
    if (!start) return;
    store.getState().applyRows("tasks", start);
    setStored(start);
  }, [start, store]);
  return useMemo(() => {
    const all = start && stored !== start ? mergeRows(rows, start, taskKey) : rows;
    return Object.values(all).filter((t) => t.project_id === projectId);
  }, [rows, start, stored, projectId]);
}
