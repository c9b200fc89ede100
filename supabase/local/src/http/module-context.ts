import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { Logger } from "pino";
import type { TFairPool } from "../db/create-fair-pool.ts";
import type { TJwtKeys } from "../keys/jwt-keys.ts";

/** What every gateway module (rest, auth, realtime) is given when the gateway starts. */
export interface TGatewayContext {
  /**
   * Pool logged in as `authenticator`: requests switch to anon / authenticated / service_role in it.
   * Its waiters take turns by identity (createFairPool).
   */
  apiPool: TFairPool;
  /**
   * Realtime's own `authenticator` connections, for its RLS checks of changes: as hosted Realtime
   * is a service of its own, a burst of REST requests never delays what subscribers are sent.
   */
  realtimePool: pg.Pool;
  /** Superuser pool, for auth tables, the schema cache and housekeeping. Never runs request SQL. */
  adminPool: pg.Pool;
  /** Superuser connection string; the realtime module opens its replication connection with it. */
  databaseUrl: string;
  keys: TJwtKeys;
  log: Logger;
  /** Public base URL of the gateway, e.g. http://127.0.0.1:54321. */
  publicUrl: string;
  /**
   * GoTrue's GOTRUE_EXTERNAL_ANONYMOUS_USERS_ENABLED (config.toml `enable_anonymous_sign_ins`):
   * whether POST /auth/v1/signup without email and phone signs in an anonymous user. Off when unset.
   */
  anonymousSignIns?: boolean;
}

/** Handles one HTTP request below a module's prefix; `subpath` starts with `/` (e.g. `/projects`). */
export type TRouteHandler = (req: IncomingMessage, res: ServerResponse, subpath: string, url: URL) => Promise<void>;

/** An HTTP module of the gateway. */
export interface THttpModule {
  handle: TRouteHandler;
  close(): Promise<void>;
}
