import { assertNever } from "@mission-control/shared/errors";
import type { TLiveQuery, TLiveReader } from "./live-reader.ts";
import type { TLiveRows } from "./live-store.ts";
import { catchUpFilterOf, catchUpPartsOf, type TLiveCatchUpPart, type TLiveRow, type TLiveTable, type TWatchKind } from "./live-tables.ts";

/** What catch-up reads depend on: the project, the store as it is now, and what is open on screen. */
export interface TCatchUpContext {
  projectId: string;
  rows: TLiveRows;
  /** The ids of each kind of thing open on screen (task threads, run pages, changesets under review). */
  watched: Readonly<Record<TWatchKind, readonly string[]>>;
  /** Reads no more than this many rows per window (the server's first render reads a screenful, not the whole window). */
  maxWindow?: number | undefined;
}

/** Ids per read when a watched read lists them (short query strings). */
const WATCHED_CHUNK = 100;

// A thread's window needs the threads in the store, and the deliveries need the messages.
const NEEDS: Record<TLiveCatchUpPart["kind"] | "whole", readonly TLiveTable[]> = {
  whole: [],
  latest: [],
  "pending-and-latest": [],
  watched: [],
  "thread-windows": ["project_chat_threads"],
  "operator-message-deliveries": ["project_chat_messages"],
};

/**
 * The tables whose catch-up must have merged before `table`'s reads are planned (its plan reads
 * their rows from the store). Every other table reads at once, and merges as soon as it is back.
 */
export function catchUpDependenciesOf(table: TLiveTable): readonly TLiveTable[] {
  return [...new Set(catchUpPartsOf(table).flatMap((part) => NEEDS[part.kind]))];
}

/** The reads of one watched part for the given ids (of its kind). */
function planWatchedPart(part: Extract<TLiveCatchUpPart, { kind: "watched" }>, ids: readonly string[]): TLiveQuery[] {
  if (part.window !== undefined) {
    const { window, column, newestFirstBy = "seq" } = part;
    return ids.map((id) => ({ eq: { [column]: id }, newestFirstBy, limit: window }));
  }
  const reads: TLiveQuery[] = [];
  for (let i = 0; i < ids.length; i += WATCHED_CHUNK) {
    reads.push({ eq: {}, in: { column: part.column, values: ids.slice(i, i + WATCHED_CHUNK) } });
  }
  return reads;
}

/** The reads that re-read what the screen shows of `table`, from its descriptor. */
export function planCatchUpReads(table: TLiveTable, context: TCatchUpContext): TLiveQuery[] {
  const scope = catchUpFilterOf(table, context.projectId);
  const cap = (window: number) => Math.min(window, context.maxWindow ?? window);
  return catchUpPartsOf(table).flatMap((part): TLiveQuery[] => {
    switch (part.kind) {
      case "whole":
        return [{ eq: scope }];
      case "latest":
        return [{ eq: scope, newestFirstBy: "seq", limit: cap(part.window) }];
      case "pending-and-latest": {
        const pending: TLiveQuery = { eq: { ...scope, ...part.pendingWhere } };
        if (part.pendingIn) pending.in = part.pendingIn;
        return [pending, { eq: scope, newestFirstBy: "seq", limit: cap(part.window) }];
      }
      case "thread-windows":
        return Object.values(context.rows.project_chat_threads)
          .filter((thread) => thread.project_id === context.projectId)
          .map((thread) => ({ eq: { thread_id: thread.id }, newestFirstBy: "seq", limit: cap(part.window) }));
      case "operator-message-deliveries": {
        // Every operator message on screen, including ones that only came by realtime.
        const ids = Object.values(context.rows.project_chat_messages)
          .filter((message) => message.project_id === context.projectId && message.author_type === "user")
          .map((message) => message.id);
        const reads: TLiveQuery[] = [];
        for (let i = 0; i < ids.length; i += part.chunk) {
          reads.push({ eq: {}, in: { column: "message_id", values: ids.slice(i, i + part.chunk) } });
        }
        return reads;
      }
      case "watched":
        return planWatchedPart(part, context.watched[part.watch]);
      default:
        return assertNever(part);
    }
  });
}

/** The reads of `table` that concern things of kind `watch` with these ids (what a view that just opened needs at once). */
export function planWatchedReads(table: TLiveTable, watch: TWatchKind, ids: readonly string[]): TLiveQuery[] {
  return catchUpPartsOf(table).flatMap((part) => (part.kind === "watched" && part.watch === watch ? planWatchedPart(part, ids) : []));
}

/** Runs reads of `table` at once and returns every row they read. */
export async function runReads<K extends TLiveTable>(
  reader: TLiveReader,
  table: K,
  queries: readonly TLiveQuery[],
): Promise<TLiveRow<K>[]> {
  const reads = await Promise.all(queries.map((query) => reader.read(table, query)));
  return reads.flat();
}

/** Runs the catch-up reads of `table` at once and returns every row they read. */
export async function readCatchUp<K extends TLiveTable>(reader: TLiveReader, table: K, context: TCatchUpContext): Promise<TLiveRow<K>[]> {
  return runReads(reader, table, planCatchUpReads(table, context));
}
