import type { TLiveReader } from "./live-reader.ts";
import type { TColumnFilter, TLiveRow, TLiveTable } from "./live-tables.ts";

/** Where a list's paging into older rows stands: the lowest seq it has read, and whether rows remain below it. */
export interface TOlderCursor {
  /** The seq of the oldest row the pages read so far; null before the first page. */
  seq: number | null;
  /** True once a page came back short: nothing older is left in the database. */
  exhausted: boolean;
}

/** A cursor before any page. */
export const START_CURSOR: TOlderCursor = { seq: null, exhausted: false };

/**
 * Reads the next page of a long list (the feed, a chat thread, the approvals history) below
 * `cursor`, newest first by seq (keyset pagination on the `(project_id | thread_id, seq desc)`
 * indexes every live table has; seq is unique, so no tie-breaker is needed). The first page is the
 * newest `pageSize` rows, whatever else the store holds: rows that reached the store another way
 * (a pending proposal, an old row realtime brought after an update) never make the cursor skip
 * rows. Returns the rows and the cursor after them.
 */
export async function readOlderPage<K extends TLiveTable>(
  reader: TLiveReader,
  table: K,
  scope: TColumnFilter,
  cursor: TOlderCursor,
  pageSize: number,
): Promise<{ rows: TLiveRow<K>[]; cursor: TOlderCursor }> {
  if (cursor.exhausted) return { rows: [], cursor };
  const rows = await reader.read(table, {
    eq: scope,
    newestFirstBy: "seq",
    limit: pageSize,
    ...(cursor.seq === null ? {} : { seqBelow: cursor.seq }),
  });
  const lowest = rows.reduce<number | null>((min, row) => (min === null || row.seq < min ? row.seq : min), cursor.seq);
  return { rows, cursor: { seq: lowest, exhausted: rows.length < pageSize } };
}
