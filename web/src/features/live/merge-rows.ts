/** Rows of one table by key. Treated as immutable: every change returns a new object. */
export type TRowMap<T> = Readonly<Record<string, T>>;

/** Anything carrying the live sequence (public.live_seq), renewed on every write. */
export interface TSeqRow {
  seq: number;
}

/**
 * Merges rows into a map by key, keeping for each key the row with the higher `seq` (a stale
 * catch-up read or a late realtime event never overwrites a newer version). Returns `current`
 * itself when nothing changed, so subscribers do not re-render.
 */
export function mergeRows<T extends TSeqRow>(current: TRowMap<T>, incoming: readonly T[], keyOf: (row: T) => string): TRowMap<T> {
  let next: Record<string, T> | undefined;
  for (const row of incoming) {
    const key = keyOf(row);
    const have = (next ?? current)[key];
    if (have && have.seq >= row.seq) continue;
    next ??= { ...current };
    next[key] = row;
  }
  return next ?? current;
}

/** Removes rows by key; returns `current` itself when none of them was there. */
export function removeRows<T>(current: TRowMap<T>, keys: readonly string[]): TRowMap<T> {
  const present = keys.filter((key) => key in current);
  if (present.length === 0) return current;
  const next = { ...current };
  for (const key of present) delete next[key];
  return next;
}

/**
 * Applies a complete snapshot of a scope (e.g. every agent of the project) read from the
 * database. Rows are merged by seq; a row of the scope that is missing from the snapshot is
 * removed only if it is unchanged since `before` (the map when the read started): it was
 * deleted while realtime was not listening. A row that arrived or changed during the read stays.
 */
export function reconcileRows<T extends TSeqRow>(
  current: TRowMap<T>,
  snapshot: readonly T[],
  keyOf: (row: T) => string,
  before: TRowMap<T>,
  inScope: (row: T) => boolean,
): TRowMap<T> {
  const merged = mergeRows(current, snapshot, keyOf);
  const seen = new Set(snapshot.map(keyOf));
  const gone = Object.entries(merged)
    .filter(([key, row]) => inScope(row) && !seen.has(key) && before[key]?.seq === row.seq)
    .map(([key]) => key);
  return removeRows(merged, gone);
}
