"use client";

import type { TRun } from "@mission-control/shared/rows";
import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { selectRuns, selectTaskRuns, type TRunFilter } from "./select-runs.ts";

/** The project's runs from the live store, filtered as the Runs page asks (active first, newest first). */
export function useProjectRuns(projectId: string, filter: TRunFilter): TRun[] {
  const rows = useLiveStore((s) => s.rows.ai_runs);
  return useMemo(() => selectRuns(rows, projectId, filter), [rows, projectId, filter]);
}

/** A task's runs from the live store, newest first (the task page watches the task, so catch-up keeps them). */
export function useTaskRuns(taskId: string): TRun[] {
  const rows = useLiveStore((s) => s.rows.ai_runs);
  return useMemo(() => selectTaskRuns(rows, taskId), [rows, taskId]);
}
