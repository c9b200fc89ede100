import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { parseLiveRows, type TColumnFilter, type TLiveRow, type TLiveTable } from "./live-tables.ts";

/** One read of a live table: equality filters, an optional `in` list, newest first, at most `limit` rows. */
export interface TLiveQuery {
  eq: TColumnFilter;
  in?: { column: string; values: readonly string[] };
  /** Sorts descending by this column (the newest rows first). */
  newestFirstBy?: "seq" | "created_at";
  limit?: number;
  /** Only rows whose seq is below this one (the next older page of a list, read-older-page.ts). */
  seqBelow?: number;
}

/** Reads of the database catch-up makes; the supabase-js one below, an in-memory one in tests. */
export interface TLiveReader {
  /** The rows of `table` the query selects, as the signed-in user may see them. */
  read<K extends TLiveTable>(table: K, query: TLiveQuery): Promise<TLiveRow<K>[]>;
}

/** Reads one request carries at most (read_live_rows' limit). */
const READS_PER_REQUEST = 100;

type TQueuedRead = {
  table: TLiveTable;
  query: TLiveQuery;
  resolve: (rows: TLiveRow<TLiveTable>[]) => void;
  reject: (err: Error) => void;
};

/**
 * The live reads through supabase-js, as the signed-in user (RLS decides what comes back). Reads
 * asked for in the same turn of the event loop go out together in one `read_live_rows` call (a
 * security-invoker function: the same rows as the same reads through REST), since a browser sends
 * only six requests at a time to one host: catch-up's thirty-odd reads are one round trip.
 */
export function createSupabaseLiveReader(client: TBrowserClient): TLiveReader {
  let queued: TQueuedRead[] = [];

  const send = async (reads: TQueuedRead[]) => {
    const payload = reads.map(({ table, query }) => ({
      table,
      eq: { ...query.eq },
      ...(query.in ? { in: { column: query.in.column, values: [...query.in.values] } } : {}),
      ...(query.newestFirstBy ? { newestFirstBy: query.newestFirstBy } : {}),
      ...(query.seqBelow !== undefined ? { seqBelow: query.seqBelow } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
    }));
    const { data, error } = await client.rpc("read_live_rows", { p_reads: payload });
    if (error || !Array.isArray(data)) {
      const message = error?.message ?? "the answer was not a list";
      for (const read of reads) read.reject(new Error(`Could not read ${read.table}: ${message}`));
      return;
    }
    reads.forEach((read, i) => {
      const rows = data[i];
      read.resolve(parseLiveRows(read.table, Array.isArray(rows) ? rows : []));
    });
  };

  const flush = () => {
    const reads = queued;
    queued = [];
    for (let i = 0; i < reads.length; i += READS_PER_REQUEST) {
      void send(reads.slice(i, i + READS_PER_REQUEST)).catch((err: unknown) => {
        const failure = err instanceof Error ? err : new Error(String(err));
        for (const read of reads.slice(i, i + READS_PER_REQUEST)) read.reject(failure);
      });
    }
  };

  return {
    read<K extends TLiveTable>(table: K, query: TLiveQuery) {
      return new Promise<TLiveRow<K>[]>((resolve, reject) => {
        if (queued.length === 0) setTimeout(flush, 0);
        queued.push({ table, query, resolve: resolve as TQueuedRead["resolve"], reject });
      });
    },
  };
}
