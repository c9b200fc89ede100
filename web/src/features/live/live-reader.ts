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

/** The catch-up reads through supabase-js, as the signed-in user (RLS decides what comes back). */
export function createSupabaseLiveReader(client: TBrowserClient): TLiveReader {
  return {
    async read(table, query) {
      const result = await requestRows(client, table, query);
      if (result.error) throw new Error(`Could not read ${table}: ${result.error.message}`);
      return parseLiveRows(table, result.data ?? []);
    },
  };
}

/** Builds and sends one PostgREST read of a live table. */
function requestRows(client: TBrowserClient, table: TLiveTable, query: TLiveQuery) {
  let request = client.from(table).select("*");
  for (const [column, value] of Object.entries(query.eq)) request = request.eq(column, value);
  if (query.in) request = request.in(query.in.column, [...query.in.values]);
  if (query.seqBelow !== undefined) request = request.lt("seq", query.seqBelow);
  const sorted = query.newestFirstBy ? request.order(query.newestFirstBy, { ascending: false }) : request;
  return query.limit === undefined ? sorted : sorted.limit(query.limit);
}
