"use client";

import type { TTask } from "@mission-control/shared/rows";
import { TASK_STATUSES, type TTaskStatus } from "@mission-control/shared/schemas";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { columnCards } from "./plan-task-move.ts";
import { readColumnPage, type TColumnPage, type TTasksStart, visibleColumnCards } from "./read-task-pages.ts";
import { useTaskCounts } from "./use-task-counts.ts";

/** One board column as the board draws it. */
export interface TBoardColumn {
  status: TTaskStatus;
  /** The column's beginning, in board order: every card up to the last one read. */
  cards: TTask[];
  /** Tasks in the column in the database (null until counted). */
  total: number | null;
  /** True when the database holds cards after the ones shown. */
  hasMore: boolean;
  loading: boolean;
}

type TColumnsState = {
  projectId: string;
  pages: Partial<Record<TTaskStatus, TColumnPage>>;
  loading: Partial<Record<TTaskStatus, boolean>>;
  error: string | null;
};

/**
 * The board's columns, read page by page from the database into the live store (the store keeps
 * only the latest tasks and realtime's changes, since a project may hold ten thousand): each
 * column's first page on opening (or the server's, `start`, read for this project), the next one
 * on "Show more". Cards stay live through the store.
 */
export function useTaskColumns(tasks: readonly TTask[], start: TTasksStart | null = null) {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  const startPages = start?.columns ?? {};
  const [state, setState] = useState<TColumnsState>({ projectId: project.id, pages: startPages, loading: {}, error: null });
  // Pages as of the last read, outside render: a second click before the first read is back reads nothing.
  const pages = useRef<{ projectId: string; busy: Set<TTaskStatus>; pages: Partial<Record<TTaskStatus, TColumnPage>> }>({
    projectId: project.id,
    busy: new Set(),
    pages: { ...startPages },
  });
  const counts = useTaskCounts(project.id, tasks, start?.counts ?? null);

  const readPage = useCallback(
    (status: TTaskStatus, first: boolean) => {
      const at = pages.current;
      const page = at.pages[status];
      if (at.busy.has(status) || (!first && (!page || page.exhausted))) return;
      at.busy.add(status);
      setState((s) => ({ ...s, loading: { ...s.loading, [status]: true }, error: null }));
      readColumnPage(client, at.projectId, status, first ? null : (page?.last ?? null))
        .then(({ rows, page: next }) => {
          if (pages.current !== at) return;
          store.getState().applyRows("tasks", rows);
          at.pages[status] = next;
          at.busy.delete(status);
          setState((s) => ({ ...s, pages: { ...s.pages, [status]: next }, loading: { ...s.loading, [status]: false } }));
        })
        .catch((err: unknown) => {
          if (pages.current !== at) return;
          at.busy.delete(status);
          const message = err instanceof Error ? err.message : String(err);
          setState((s) => ({ ...s, loading: { ...s.loading, [status]: false }, error: message }));
        });
    },
    [client, store],
  );

  // The first pages: the server's when it read them for this project (realtime and the catch-up keep
  // their cards current from there), else read now.
  const opened = useRef<string | null>(null);
  useEffect(() => {
    if (opened.current === project.id) return;
    opened.current = project.id;
    const first = start?.columns ?? null;
    pages.current = { projectId: project.id, busy: new Set(), pages: { ...first } };
    setState({ projectId: project.id, pages: { ...first }, loading: {}, error: null });
    if (!first) for (const status of TASK_STATUSES) readPage(status, true);
  }, [project.id, readPage, start]);

  const current: Omit<TColumnsState, "projectId"> = state.projectId === project.id ? state : { pages: {}, loading: {}, error: null };
  const columns = useMemo<TBoardColumn[]>(
    () =>
      TASK_STATUSES.map((status) => {
        const page = current.pages[status];
        const cards = visibleColumnCards(columnCards(tasks, status), page);
        return {
          status,
          cards,
          total: counts.counts?.[status] ?? (page?.exhausted ? cards.length : null),
          hasMore: page ? !page.exhausted : false,
          loading: current.loading[status] ?? !page,
        };
      }),
    [tasks, current.pages, current.loading, counts.counts],
  );

  return {
    columns,
    error: current.error ?? counts.error,
    /** Reads the column's next page (the first again when it failed before any). */
    showMore: (status: TTaskStatus) => readPage(status, !pages.current.pages[status]),
  };
}
