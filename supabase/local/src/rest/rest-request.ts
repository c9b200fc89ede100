import type { IncomingMessage, ServerResponse } from "node:http";
import type { TFairPool } from "../db/create-fair-pool.ts";
import type { TRequestIdentity } from "../db/with-claims.ts";
import type { TAccept, TPrefer } from "./parse-headers.ts";
import type { TSchemaCache } from "./schema-cache.ts";

/** One REST request, with everything its handler needs already worked out. */
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
  /** The API pool; waiters take turns by identity. */
  pool: TFairPool;
  /** Transaction-local `request.*` settings, as PostgREST sets them. */
  settings: Record<string, string>;
  /** config.toml `[api] max_rows` (PostgREST db-max-rows): the threshold of `Prefer: count=estimated`. */
  maxRows: number | null;
}
