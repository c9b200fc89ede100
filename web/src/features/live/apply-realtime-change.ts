import type { TLiveStore } from "./live-store.ts";
import { keyOfLiveRow, LIVE_TABLES, parseLiveRows, type TLiveTable } from "./live-tables.ts";

/** The parts of a supabase-js postgres_changes payload the store uses. */
export interface TRealtimeChange {
  table: string;
  eventType: "INSERT" | "UPDATE" | "DELETE";
  new: Record<string, unknown>;
  old: Record<string, unknown>;
}

function isLiveTable(table: string): table is TLiveTable {
  return table in LIVE_TABLES;
}

/**
 * Feeds one realtime event into the store. Inserts and updates merge by seq (a late event never
 * overwrites a newer row); a delete removes the row when its key can be read from `old`.
 * Returns false for an event the store does not hold or cannot parse.
 */
export function applyRealtimeChange(store: TLiveStore, change: TRealtimeChange): boolean {
  const table = change.table;
  if (!isLiveTable(table)) return false;
  if (change.eventType === "DELETE") {
    // A full old row comes only with replica identity full; parse quietly and fall back.
    const old = LIVE_TABLES[table].schema.safeParse({ seq: 0, ...change.old });
    if (old.success) {
      store.getState().removeRows(table, [keyOfLiveRow(table, old.data as never)]);
      return true;
    }
    // Without the full old row, fall back to the primary key columns most tables share.
    const id = change.old.id ?? change.old.agent_id;
    if (typeof id !== "string") return false;
    store.getState().removeRows(table, [id]);
    return true;
  }
  const rows = parseLiveRows(table, [change.new]);
  if (rows.length === 0) return false;
  store.getState().applyRows(table, rows);
  return true;
}
