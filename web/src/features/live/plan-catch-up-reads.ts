import type { TLiveQuery, TLiveReader } from "./live-reader.ts";
import type { TLiveRows } from "./live-store.ts";
import { catchUpFilterOf, LIVE_TABLE_NAMES, LIVE_TABLES, type TLiveCatchUp, type TLiveRow, type TLiveTable } from "./live-tables.ts";

/** What catch-up reads depend on: the project, the store as it is now, and the task threads open on screen. */
export interface TCatchUpContext {
  projectId: string;
  rows: TLiveRows;
  watchedTaskIds: readonly string[];
}

// A thread's window needs the threads, and the deliveries need the messages: those read in later rounds.
const ROUND_OF: Record<TLiveCatchUp["kind"], number> = {
  whole: 0,
  latest: 0,
  "pending-and-latest": 0,
  "watched-task-timelines": 0,
  "thread-windows": 1,
  "operator-message-deliveries": 2,
};

/** The live tables in the rounds catch-up reads them in: each round's reads see the rows the rounds before merged. */
export const CATCH_UP_ROUNDS: readonly (readonly TLiveTable[])[] = [0, 1, 2].map((round) =>
  LIVE_TABLE_NAMES.filter((table) => ROUND_OF[LIVE_TABLES[table].catchUp.kind] === round),
);

/** The reads that re-read what the screen shows of `table`, from its descriptor. */
export function planCatchUpReads(table: TLiveTable, context: TCatchUpContext): TLiveQuery[] {
  const { catchUp } = LIVE_TABLES[table];
  const scope = catchUpFilterOf(table, context.projectId);
  switch (catchUp.kind) {
    case "whole":
      return [{ eq: scope }];
    case "latest":
      return [{ eq: scope, newestFirstBy: "seq", limit: catchUp.window }];
    case "pending-and-latest":
      return [{ eq: { ...scope, ...catchUp.pendingWhere } }, { eq: scope, newestFirstBy: "seq", limit: catchUp.window }];
    case "thread-windows":
      return Object.values(context.rows.project_chat_threads)
        .filter((thread) => thread.project_id === context.projectId)
        .map((thread) => ({ eq: { thread_id: thread.id }, newestFirstBy: "seq", limit: catchUp.window }));
    case "operator-message-deliveries": {
      // Every operator message on screen, including ones that only came by realtime.
      const ids = Object.values(context.rows.project_chat_messages)
        .filter((message) => message.project_id === context.projectId && message.author_type === "user")
        .map((message) => message.id);
      const reads: TLiveQuery[] = [];
      for (let i = 0; i < ids.length; i += catchUp.chunk) {
        reads.push({ eq: {}, in: { column: "message_id", values: ids.slice(i, i + catchUp.chunk) } });
      }
      return reads;
    }
    case "watched-task-timelines":
      return context.watchedTaskIds.map((taskId) => ({ eq: { task_id: taskId }, newestFirstBy: "created_at", limit: catchUp.window }));
  }
}

/** Runs the catch-up reads of `table` at once and returns every row they read. */
export async function readCatchUp<K extends TLiveTable>(reader: TLiveReader, table: K, context: TCatchUpContext): Promise<TLiveRow<K>[]> {
  const reads = await Promise.all(planCatchUpReads(table, context).map((query) => reader.read(table, query)));
  return reads.flat();
}
