"use client";

import type { TTask } from "@mission-control/shared/rows";
import type { TTaskStatus } from "@mission-control/shared/schemas";
import { useEffect, useRef, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { readTaskCounts } from "./read-task-pages.ts";

/** At most one count read per this long, however fast tasks change. */
const RECOUNT_EVERY_MS = 1000;

type TCounts = Record<TTaskStatus, number>;

/**
 * Exact task counts per column from the database (shown meanwhile: `start`, the counts the server
 * rendered the page with): read on opening, then again (at most once a second) after the project's
 * tasks change in the store and after every catch-up.
 */
export function useTaskCounts(projectId: string, tasks: readonly TTask[], start: TCounts | null = null) {
  const { client } = useProject();
  const catchUps = useLiveStore((s) => s.realtime.catchUps);
  const [state, setState] = useState<{ projectId: string; counts: TCounts | null; error: string | null }>({
    projectId,
    counts: start,
    error: null,
  });
  const reads = useRef<{ projectId: string; lastAt: number; timer: ReturnType<typeof setTimeout> | null } | null>(null);

  // One schedule per project; cleared when the project changes or the board closes.
  useEffect(() => {
    reads.current = { projectId, lastAt: 0, timer: null };
    return () => {
      const at = reads.current;
      if (at?.timer) clearTimeout(at.timer);
      reads.current = null;
    };
  }, [projectId]);

  useEffect(() => {
    const at = reads.current;
    if (!at || at.projectId !== projectId || at.timer) return;
    at.timer = setTimeout(
      () => {
        at.timer = null;
        at.lastAt = Date.now();
        readTaskCounts(client, projectId)
          .then((counts) => reads.current === at && setState({ projectId, counts, error: null }))
          .catch(
            (err: unknown) => reads.current === at && setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err) })),
          );
      },
      Math.max(0, at.lastAt + RECOUNT_EVERY_MS - Date.now()),
    );
    // `tasks` and `catchUps` are the triggers: a change in the store, a catch-up after a gap.
  }, [client, projectId, tasks, catchUps]);

  return state.projectId === projectId ? { counts: state.counts, error: state.error } : { counts: null, error: null };
}
