"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import { createSupabaseLiveReader } from "./live-reader.ts";
import { useLiveStoreApi } from "./live-store-provider.tsx";
import type { TColumnFilter, TLiveTable } from "./live-tables.ts";
import { readOlderPage, START_CURSOR, type TOlderCursor } from "./read-older-page.ts";

/** A long list's access to its older rows: what the list's last (or, in chat, first) row calls when it comes on screen. */
export interface TOlderRows {
  /** Reads the next older page into the live store; does nothing while a read runs or once nothing is left. */
  loadOlder(): void;
  loading: boolean;
  /** True once the oldest row of the scope is in the store. */
  exhausted: boolean;
  error: string | null;
}

/**
 * Pages a live table's older rows from the database into the live store on demand. Catch-up keeps
 * the newest window (live-tables.ts) and realtime brings new rows; this reads older pages below
 * the last one it read, merged by seq like every other read (so a row realtime changed meanwhile
 * keeps its newer version). The store keeps what was paged in: catch-up only ever adds to
 * windowed tables. A new `scope` (another project, another thread) starts from the newest page.
 */
export function useOlderRows<K extends TLiveTable>(table: K, scope: TColumnFilter, pageSize: number): TOlderRows {
  const { client } = useProject();
  const store = useLiveStoreApi();
  const scopeKey = JSON.stringify(scope);
  const [state, setState] = useState({ scopeKey, cursor: START_CURSOR, loading: false, error: null as string | null });
  // The cursor as of the last read, outside render: two calls in one frame must not read the same page.
  const cursor = useRef<{ scopeKey: string; cursor: TOlderCursor; loading: boolean }>({ scopeKey, cursor: START_CURSOR, loading: false });

  useEffect(() => {
    if (cursor.current.scopeKey === scopeKey) return;
    cursor.current = { scopeKey, cursor: START_CURSOR, loading: false };
    setState({ scopeKey, cursor: START_CURSOR, loading: false, error: null });
  }, [scopeKey]);

  const loadOlder = useCallback(() => {
    const at = cursor.current;
    if (at.scopeKey !== scopeKey || at.loading || at.cursor.exhausted) return;
    at.loading = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    const reader = createSupabaseLiveReader(client);
    readOlderPage(reader, table, JSON.parse(scopeKey) as TColumnFilter, at.cursor, pageSize)
      .then(({ rows, cursor: next }) => {
        if (cursor.current !== at) return;
        store.getState().applyRows(table, rows);
        at.cursor = next;
        at.loading = false;
        setState({ scopeKey, cursor: next, loading: false, error: null });
      })
      .catch((err: unknown) => {
        if (cursor.current !== at) return;
        at.loading = false;
        const message = err instanceof Error ? err.message : String(err);
        setState((s) => ({ ...s, loading: false, error: `${message}. Scroll again to retry.` }));
      });
  }, [client, store, table, scopeKey, pageSize]);

  const current = state.scopeKey === scopeKey ? state : { cursor: START_CURSOR, loading: false, error: null };
  return { loadOlder, loading: current.loading, exhausted: current.cursor.exhausted, error: current.error };
}
