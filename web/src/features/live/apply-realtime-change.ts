import type { TLiveStore } from "./live-store.ts";
import { isLiveTable, LIVE_TABLES, parseLiveRows, type TLiveRow, type TLiveTable } from "./live-tables.ts";

/** The parts of a supabase-js postgres_changes payload the store uses. */
export interface TRealtimeChange {
  table: string;
  eventType: "INSERT" | "UPDATE" | "DELETE";
  new: Record<string, unknown>;
  old: Record<string, unknown>;
}

/**
 * Feeds one realtime event into the store. Inserts and updates merge by seq (a late event never
 * overwrites a newer row); a delete removes the row when its key can be read from `old`.
 * Returns false for an event the store does not hold or cannot parse.
 */
export function applyRealtimeChange(store: TLiveStore, change: TRealtimeChange): boolean {
  return applyRealtimeChanges(store, [change]) === 1;
}

/**
 * Feeds events in their order into the store with one merge per table (a burst of fifty inserts
 * copies the table once, not fifty times): a table's pending inserts and updates are merged before
 * a delete of that table is applied. Returns how many events the store took.
 */
export function applyRealtimeChanges(store: TLiveStore, changes: readonly TRealtimeChange[]): number {
  const pending = new Map<TLiveTable, TLiveRow<TLiveTable>[]>();
  const flush = (table: TLiveTable) => {
    const rows = pending.get(table);
    if (rows) store.getState().applyRows(table, rows);
    pending.delete(table);
  };
  let taken = 0;
  for (const change of changes) {
    const table = change.table;
    if (!isLiveTable(table)) continue;
    if (change.eventType === "DELETE") {
      const key = keyOfDeleted(table, change.old);
      if (key === undefined) continue;
      flush(table);
      store.getState().removeRows(table, [key]);
      taken += 1;
      continue;
    }
    const rows = parseLiveRows(table, [change.new]);
    if (rows.length === 0) continue;
    pending.set(table, [...(pending.get(table) ?? []), ...rows]);
    taken += 1;
  }
  for (const table of [...pending.keys()]) flush(table);
  return taken;
}

/** How long realtime events gather before they are applied together (about a frame). */
export const REALTIME_BATCH_MS = 16;

/**
 * Gathers realtime events for up to REALTIME_BATCH_MS and applies them together, so a burst
 * renders once per frame instead of once per event. `close()` applies what is waiting.
 */
export function createRealtimeBatcher(store: TLiveStore) {
  let queued: TRealtimeChange[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const changes = queued;
    queued = [];
    applyRealtimeChanges(store, changes);
  };
  return {
    push(change: TRealtimeChange) {
      queued.push(change);
      timer ??= setTimeout(flush, REALTIME_BATCH_MS);
    },
    close() {
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}

/** The key of a deleted row, from whatever of it the DELETE event carries. */
function keyOfDeleted<K extends TLiveTable>(table: K, old: Record<string, unknown>): string | undefined {
  const { schema, keyOf } = LIVE_TABLES[table];
  // A full old row comes only with replica identity full; parse quietly and fall back.
  const parsed = schema.safeParse({ seq: 0, ...old });
  if (parsed.success) return keyOf(parsed.data);
  // Without the full old row, fall back to the primary key columns most tables share.
  const id = old.id ?? old.agent_id;
  return typeof id === "string" ? id : undefined;
}
