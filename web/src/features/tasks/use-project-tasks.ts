"use client";

import { useMemo } from "react";
import type { TTask } from "../live/live-rows.ts";
import { useLiveStore } from "../live/use-live-store.ts";

/** The project's tasks from the live store. */
export function useProjectTasks(projectId: string): TTask[] {
  const rows = useLiveStore((s) => s.rows.tasks);
  return useMemo(() => Object.values(rows).filter((t) => t.project_id === projectId), [rows, projectId]);
}
