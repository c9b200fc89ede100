"use client";

import type { TTask } from "@mission-control/shared/rows";
import { useCallback, useState } from "react";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import type { TTaskMove } from "./plan-task-move.ts";
import { moveTask } from "./task-writes.ts";

/**
 * Moves cards for the board and the table: writes the move, puts the returned row in the store at
 * once (realtime confirms it), and keeps the database's message when it refuses the move.
 */
export function useTaskMover() {
  const { client } = useProject();
  const store = useLiveStoreApi();
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const move = useCallback(
    async (task: TTask, plan: TTaskMove | null): Promise<boolean> => {
      if (!plan) return false;
      setBusyId(task.id);
      setError(null);
      try {
        const row = await moveTask(client, task.id, plan);
        store.getState().applyRows("tasks", [row]);
        return true;
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
        return false;
      } finally {
        setBusyId(null);
      }
    },
    [client, store],
  );
  return { move, error, clearError: () => setError(null), busyId };
}
