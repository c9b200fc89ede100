"use client";

import type { TTask } from "@mission-control/shared/rows";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createSupabaseLiveReader } from "../live/live-reader.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { readOlderPage, START_CURSOR, type TOlderCursor } from "../live/read-older-page.ts";
import { useProject } from "../projects/project-context.tsx";
import type { TTasksStart } from "./read-task-pages.ts";

/** Tasks the table reads per page while scrolling, and per read while reading them all. */
export const TABLE_PAGE_SIZE = 200;
const ALL_PAGE_SIZE = 1000;

/**
 * The tasks the table holds: the most recently changed first, read page by page from the database
 * (older ones as the list nears its end) into the live store, where realtime keeps them current.
 * The rows are every task changed since the oldest one read (a prefix of the project's tasks by
 * last change, so nothing in between is missing); the first page is the server's when it read one
 * (`start`). `readAll` reads the rest at once: sorting by another column or filtering needs every task.
 */
export function useTaskTableRows(tasks: readonly TTask[], readAll: boolean, start: TTasksStart | null = null) {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  // The server's first rows (read for this project), when it read them: the table opens on them.
  const first = start?.table ?? START_CURSOR;
  const [state, setState] = useState({ projectId: project.id, cursor: first, loading: false, error: null as string | null });
  const at = useRef<{ projectId: string; cursor: TOlderCursor; loading: boolean }>({
    projectId: project.id,
    cursor: first,
    loading: false,
  });

  const read = useCallback(
    (pageSize: number) => {
      const now = at.current;
      if (now.loading || now.cursor.exhausted) return;
      now.loading = true;
      setState((s) => ({ ...s, loading: true, error: null }));
      readOlderPage(createSupabaseLiveReader(client), "tasks", { project_id: now.projectId }, now.cursor, pageSize)
        .then(({ rows, cursor }) => {
          if (at.current !== now) return;
          store.getState().applyRows("tasks", rows);
          now.cursor = cursor;
          now.loading = false;
          setState({ projectId: now.projectId, cursor, loading: false, error: null });
        })
        .catch((err: unknown) => {
          if (at.current !== now) return;
          now.loading = false;
          const message = err instanceof Error ? err.message : String(err);
          setState((s) => ({ ...s, loading: false, error: `${message}. Scroll again to retry.` }));
        });
    },
    [client, store],
  );

  const opened = useRef<string | null>(null);
  useEffect(() => {
    if (opened.current === project.id) return;
    opened.current = project.id;
    const cursor = start?.table ?? START_CURSOR;
    at.current = { projectId: project.id, cursor, loading: false };
    setState({ projectId: project.id, cursor, loading: false, error: null });
    if (cursor === START_CURSOR) read(TABLE_PAGE_SIZE);
  }, [project.id, read, start]);

  const current = state.projectId === project.id ? state : { cursor: START_CURSOR, loading: true, error: null };
  // Reading everything goes on page after page while it is wanted (each page's arrival runs this again).
  useEffect(() => {
    if (readAll && !current.loading && !current.error && !current.cursor.exhausted) read(ALL_PAGE_SIZE);
  }, [readAll, current.loading, current.error, current.cursor, read]);

  const { seq, exhausted } = current.cursor;
  const rows = useMemo(
    () => (exhausted ? [...tasks] : seq === null ? [] : tasks.filter((task) => task.seq >= seq)),
    [tasks, seq, exhausted],
  );
  return {
    rows,
    loading: current.loading,
    exhausted,
    error: current.error,
    loadOlder: useCallback(() => read(TABLE_PAGE_SIZE), [read]),
  };
}
