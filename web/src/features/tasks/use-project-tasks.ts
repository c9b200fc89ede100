"use client";

import type { TTask } from "@mission-control/shared/rows";
import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";

/** The project's tasks from the live store. */
export function useProjectTasks(projectId: string): TTask[] {
  const rows = useLiveStore((s) => s.rows.tasks);
  return useMemo(() => Object.values(rows).filter((t) => t.project_id === projectId), [rows, projectId]);
}
