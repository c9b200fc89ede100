import { createStore } from "zustand/vanilla";
import { LIVE_TABLE_NAMES, LIVE_TABLES, type TLiveRow, type TLiveTable, type TWatchKind } from "./live-tables.ts";
import { mergeRows, reconcileRows, removeRows, type TRowMap } from "./merge-rows.ts";

/** State of the realtime channel, as supabase-js reports it. */
export type TRealtimeStatus = "idle" | "connecting" | "subscribed" | "reconnecting" | "closed";

/** Live / Backup / Offline, as product principle 6 defines them. */
export type TConnectionMode = "checking" | "live" | "backup" | "offline";

/** The result of the last connection check. */
export interface TConnectionState {
  mode: TConnectionMode;
  /** When the last check finished (ms since epoch), whatever its result. */
  lastCheckAt: number | null;
  /** When the executor was last seen healthy. */
  lastLiveAt: number | null;
  /** When Supabase was last reachable. */
  lastReachableAt: number | null;
  /** What failed, in words for the badge's tooltip. */
  detail: string;
}

/** Every live table's rows by key. */
export type TLiveRows = { [K in TLiveTable]: TRowMap<TLiveRow<K>> };

/** The one store of the dashboard: live rows, the realtime channel state, and the connection badge. */
export interface TLiveState {
  rows: TLiveRows;
  /** `seeded`: the store started with rows the server read (it has been read once, like after a catch-up). */
  realtime: { status: TRealtimeStatus; catchUps: number; lastCatchUpAt: number | null; seeded: boolean };
  connection: TConnectionState;
  /**
   * What is open on screen, per kind (id → how many views hold it): catch-up re-reads the rows of
   * each (a task thread's timeline and runs, a run's timeline and changeset, a changeset's files).
   */
  watched: Readonly<Record<TWatchKind, Readonly<Record<string, number>>>>;
  /** Marks something as open on screen; returns the function that closes it. */
  watch(kind: TWatchKind, id: string): () => void;
  /** Merges rows (from a read or an event), keeping the higher seq per key. */
  applyRows<K extends TLiveTable>(table: K, rows: readonly TLiveRow<K>[]): void;
  /** Removes rows by key (a DELETE event). */
  removeRows<K extends TLiveTable>(table: K, keys: readonly string[]): void;
  /** Applies a complete snapshot of a scope; see reconcileRows. */
  reconcileRows<K extends TLiveTable>(
    table: K,
    snapshot: readonly TLiveRow<K>[],
    before: TRowMap<TLiveRow<K>>,
    inScope: (row: TLiveRow<K>) => boolean,
  ): void;
  setRealtimeStatus(status: TRealtimeStatus): void;
  noteCatchUp(): void;
  setConnection(patch: Partial<TConnectionState>): void;
  /** Forgets every row (sign-out, project switch). */
  clearRows(): void;
}

function emptyRows(): TLiveRows {
  // fromEntries cannot say which key holds which row type; every map starts empty, so any fits.
  return Object.fromEntries(LIVE_TABLE_NAMES.map((name) => [name, {}])) as TLiveRows;
}

/** Rows a store starts with, per table (the rows the server rendered a page with). */
export type TLiveSeed = { [K in TLiveTable]?: readonly TLiveRow<K>[] };

/** The seed's rows by key, the other tables empty. */
function seededRows(seed: TLiveSeed): TLiveRows {
  const rows = emptyRows();
  for (const table of LIVE_TABLE_NAMES) {
    const incoming = seed[table];
    // Each table's rows go into its own map: the loop cannot say so to the type checker.
    if (incoming?.length)
      (rows as Record<TLiveTable, unknown>)[table] = mergeRows({}, incoming as never, LIVE_TABLES[table].keyOf as never);
  }
  return rows;
}

/**
 * Creates a store; the app holds one per tab in LiveStoreProvider (a project's pages one seeded
 * with the rows the server rendered them with), tests make their own.
 */
export function createLiveStore(seed: TLiveSeed = {}) {
  return createStore<TLiveState>()((set, get) => ({
    rows: seededRows(seed),
    realtime: { status: "idle", catchUps: 0, lastCatchUpAt: null, seeded: Object.keys(seed).length > 0 },
    connection: { mode: "checking", lastCheckAt: null, lastLiveAt: null, lastReachableAt: null, detail: "" },
    watched: { task: {}, run: {}, changeset: {} },
    watch(kind, id) {
      set((state) => ({ watched: { ...state.watched, [kind]: { ...state.watched[kind], [id]: (state.watched[kind][id] ?? 0) + 1 } } }));
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        const { [id]: count = 0, ...rest } = get().watched[kind];
        set((state) => ({ watched: { ...state.watched, [kind]: count > 1 ? { ...rest, [id]: count - 1 } : rest } }));
      };
    },
    applyRows(table, incoming) {
      set((state) => {
        const current = state.rows[table];
        const next = mergeRows(current, incoming, LIVE_TABLES[table].keyOf);
        return next === current ? state : { rows: { ...state.rows, [table]: next } };
      });
    },
    removeRows(table, keys) {
      set((state) => {
        const current = state.rows[table];
        const next = removeRows(current, keys);
        return next === current ? state : { rows: { ...state.rows, [table]: next } };
      });
    },
    reconcileRows(table, snapshot, before, inScope) {
      set((state) => {
        const current = state.rows[table];
        const next = reconcileRows(current, snapshot, LIVE_TABLES[table].keyOf, before, inScope);
        return next === current ? state : { rows: { ...state.rows, [table]: next } };
      });
    },
    setRealtimeStatus(status) {
      set((state) => (state.realtime.status === status ? state : { realtime: { ...state.realtime, status } }));
    },
    noteCatchUp() {
      set((state) => ({ realtime: { ...state.realtime, catchUps: state.realtime.catchUps + 1, lastCatchUpAt: Date.now() } }));
    },
    setConnection(patch) {
      set((state) => ({ connection: { ...state.connection, ...patch } }));
    },
    clearRows() {
      set({ rows: emptyRows() });
    },
  }));
}

/** True once the store holds what the database said: read by a catch-up, or seeded with the server's rows. */
export function selectLoaded(state: TLiveState): boolean {
  return state.realtime.catchUps > 0 || state.realtime.seeded;
}

/** The store type. */
export type TLiveStore = ReturnType<typeof createLiveStore>;
