import type { IncomingMessage, ServerResponse } from "node:http";
import type { TFairClient } from "../db/create-fair-pool.ts";
import type { TRequestIdentity } from "../db/with-claims.ts";
import type { TAccept, TPrefer } from "./parse-headers.ts";
import type { TSchemaCache } from "./schema-cache.ts";

/** One REST request, with everything its handler needs already worked out. */
/** A connection for one request, taken in the request's turn of the fair pool. */
export interface TRequestPool {
  connect(): Promise<TFairClient>;
}

export interface TRestRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  cache: TSchemaCache;
  schema: string;
  identity: TRequestIdentity;
  prefer: TPrefer;
  accept: TAccept;
  /** The API pool as this request waits in it: in its identity's turn, or in the priority lane (isPriorityRequest). */
  pool: TRequestPool;
  /** Transaction-local `request.*` settings, as PostgREST sets them. */
  settings: Record<string, string>;
  /** config.toml `[api] max_rows` (PostgREST db-max-rows): the threshold of `Prefer: count=estimated`. */
  maxRows: number | null;
}
