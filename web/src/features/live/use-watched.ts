"use client";

import { useEffect, useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import { createSupabaseLiveReader } from "./live-reader.ts";
import { useLiveStoreApi } from "./live-store-provider.tsx";
import { LIVE_TABLE_NAMES, type TLiveTable, type TWatchKind } from "./live-tables.ts";
import { planWatchedReads, runReads } from "./plan-catch-up-reads.ts";

/** Whether the rows of something just opened on screen have been read. */
export interface TWatchedState {
  /** True once the first read came back (rows absent by then do not exist, or RLS hides them). */
  loaded: boolean;
  error: string | null;
}

/**
 * Holds something open on screen (a run, a changeset, a task) while the calling view is mounted:
 * every catch-up re-reads its rows from then on, and they are read once now (a catch-up already
 * under way did not know about it). `tables` narrows the first read to the tables the view shows;
 * null `id` holds nothing.
 */
export function useWatched(kind: TWatchKind, id: string | null, tables?: readonly TLiveTable[]): TWatchedState {
  const { client } = useProject();
  const store = useLiveStoreApi();
  const [state, setState] = useState<TWatchedState & { id: string | null }>({ id: null, loaded: false, error: null });
  const only = tables?.join(",");

  useEffect(() => {
    if (!id) return;
    const close = store.getState().watch(kind, id);
    let live = true;
    const reader = createSupabaseLiveReader(client);
    const names = only ? (only.split(",") as TLiveTable[]) : LIVE_TABLE_NAMES;
    const reads = names.map(async (table) => {
      const rows = await runReads(reader, table, planWatchedReads(table, kind, [id]));
      // Merged by seq: a newer row realtime brought meanwhile stays.
      if (live) store.getState().applyRows(table, rows);
    });
    Promise.all(reads)
      .then(() => live && setState({ id, loaded: true, error: null }))
      .catch((err) => live && setState({ id, loaded: true, error: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
      close();
    };
  }, [client, store, kind, id, only]);

  return state.id === id ? { loaded: state.loaded, error: state.error } : { loaded: false, error: null };
}
