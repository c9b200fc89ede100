import type { TLiveReader } from "./live-reader.ts";
import type { TLiveRows, TLiveState, TLiveStore } from "./live-store.ts";
import { catchUpFilterOf, LIVE_TABLES, matchesFilter, type TLiveTable } from "./live-tables.ts";
import { CATCH_UP_ROUNDS, readCatchUp, type TCatchUpContext } from "./plan-catch-up-reads.ts";

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
export async function catchUpProject(reader: TLiveReader, store: TLiveStore, projectId: string): Promise<void> {
  const before = store.getState().rows;
  for (const round of CATCH_UP_ROUNDS) {
    const { rows, watched } = store.getState();
    const context: TCatchUpContext = { projectId, rows, watched: watchedIds(watched) };
    // A round's rows merge once all its reads are back; a failed read merges nothing of its round.
    const merges = await Promise.all(round.map((table) => readTable(reader, store, table, context, before)));
    for (const merge of merges) merge();
  }
  store.getState().noteCatchUp();
}

/** The ids of what is open on screen, per kind. */
function watchedIds(watched: TLiveState["watched"]): TCatchUpContext["watched"] {
  return { task: Object.keys(watched.task), run: Object.keys(watched.run), changeset: Object.keys(watched.changeset) };
}

/** Reads one table's catch-up and returns the merge to run once the whole round has read. */
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
