import type pg from "pg";
import type { Logger } from "pino";

/**
 * Keeps a dropped database connection from killing the gateway. node-postgres emits `error` on a
 * Client when Postgres ends its connection (a restart, `pg_terminate_backend`, a crash), and an
 * EventEmitter `error` with no listener throws. pg-pool listens only while a client is idle, so a
 * client checked out at that moment (a request mid-transaction, the schema listener) would throw
 * `Unhandled 'error' event … Connection terminated unexpectedly` and take the process down.
 * This adds a listener to the pool and to every client it creates, reconnects included (the
 * `connect` event fires for each new client). The failed client is not reused: its query
 * rejects, and pg-pool discards a released client that is no longer queryable.
 */
export function logPoolErrors(pool: pg.Pool, log: Logger, name: string, isStopping: () => boolean): void {
  // The client's own listener below already warned; the pool repeats the error for idle clients.
  pool.on("error", (err: Error) => log.debug({ pool: name, reason: err.message }, "idle database connection dropped"));
  pool.on("connect", (client) => {
    client.on("error", (err: Error & { code?: string }) => {
      // Postgres ends every connection when it shuts down; only a failure while running is news.
      if (isStopping()) return;
      log.warn(
        { pool: name, code: err.code, reason: err.message },
        "database connection dropped; a request using it fails and the pool opens a new one",
      );
    });
  });
}

/** For a one-off Client (the bootstrap's): log its connection error instead of crashing. */
export function logClientErrors(client: pg.Client, log: Logger | undefined, name: string): void {
  client.on("error", (err: Error & { code?: string }) => {
    log?.warn({ client: name, code: err.code, reason: err.message }, "database connection dropped");
  });
}
