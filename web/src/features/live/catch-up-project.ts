import type { TLiveReader } from "./live-reader.ts";
import type { TLiveRows, TLiveState, TLiveStore } from "./live-store.ts";
import { catchUpFilterOf, LIVE_TABLE_NAMES, LIVE_TABLES, matchesFilter, type TLiveTable } from "./live-tables.ts";
import { catchUpDependenciesOf, readCatchUp, type TCatchUpContext } from "./plan-catch-up-reads.ts";

/**
 * Re-reads what the screen shows from the database and merges it into the store, keeping the
 * higher seq per row, as each table's descriptor says (live-tables.ts): every small table of the
 * project in full (rows deleted meanwhile go away), the latest feed entries, every pending
 * proposal and the latest others, every active run and the latest others, what is open on
 * screen (task threads with their runs, run pages with their timelines, changesets with their
 * files and reviews), each thread's window of messages and their deliveries. Run on (re)subscribe, after a channel error
 * or timeout, and when the tab becomes visible again, so a dropped websocket never leaves the
 * screen wrong.
 */
export async function catchUpProject(
  reader: TLiveReader,
  store: TLiveStore,
  projectId: string,
  options: { maxWindow?: number } = {},
): Promise<void> {
  const before = store.getState().rows;
  const merged = new Map<TLiveTable, Promise<void>>();
  // Each table merges as soon as its reads are back (a small feed never waits for a large board);
  // a table whose plan reads other tables' rows starts once those have merged.
  const catchUp = (table: TLiveTable): Promise<void> => {
    const known = merged.get(table);
    if (known) return known;
    const done = Promise.all(catchUpDependenciesOf(table).map(catchUp)).then(async () => {
      const { rows, watched } = store.getState();
      const context = { projectId, rows, watched: watchedIds(watched), maxWindow: options.maxWindow };
      const merge = await readTable(reader, store, table, context, before);
      merge();
    });
    merged.set(table, done);
    return done;
  };
  const outcomes = await Promise.allSettled(LIVE_TABLE_NAMES.map(catchUp));
  // A failed read merges nothing of its table (nor of the tables that need it); the caller tries again.
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  store.getState().noteCatchUp();
}

/** The ids of what is open on screen, per kind. */
function watchedIds(watched: TLiveState["watched"]): TCatchUpContext["watched"] {
  return { task: Object.keys(watched.task), run: Object.keys(watched.run), changeset: Object.keys(watched.changeset) };
}

/** Reads one table's catch-up and returns its merge. */
async function readTable<K extends TLiveTable>(
  reader: TLiveReader,
  store: TLiveStore,
  table: K,
  context: TCatchUpContext,
  before: TLiveRows,
): Promise<() => void> {
  const rows = await readCatchUp(reader, table, context);
  if (LIVE_TABLES[table].catchUp.kind !== "whole") return () => store.getState().applyRows(table, rows);
  const scope = catchUpFilterOf(table, context.projectId);
  return () => store.getState().reconcileRows(table, rows, before[table], (row) => matchesFilter(row, scope));
}
