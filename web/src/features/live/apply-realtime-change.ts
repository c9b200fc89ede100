import type { TLiveStore } from "./live-store.ts";
import { isLiveTable, LIVE_TABLES, parseLiveRows, type TLiveTable } from "./live-tables.ts";

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
  const table = change.table;
  if (!isLiveTable(table)) return false;
  if (change.eventType === "DELETE") {
    const key = keyOfDeleted(table, change.old);
    if (key === undefined) return false;
    store.getState().removeRows(table, [key]);
    return true;
  }
  const rows = parseLiveRows(table, [change.new]);
  if (rows.length === 0) return false;
  store.getState().applyRows(table, rows);
  return true;
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
