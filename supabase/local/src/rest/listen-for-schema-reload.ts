import type pg from "pg";
import type { Logger } from "pino";

/** A LISTEN connection that stays up until `stop()`. */
export interface TSchemaListener {
  stop(): Promise<void>;
}

const RETRY_MS = 1000;

/**
 * Listens on channel `pgrst` (as PostgREST does) with a dedicated admin connection and calls
 * `onReload` for 'reload schema', 'reload config' (role settings such as pgrst.db_aggregates_enabled
 * live in the cache) or an empty payload. Reconnects after a dropped connection
 * and reloads then too, because notifications sent while it was down are lost.
 */
export function listenForSchemaReload(pool: pg.Pool, log: Logger, onReload: () => void): TSchemaListener {
  let stopped = false;
  let client: pg.PoolClient | undefined;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (isRetry: boolean) => {
    if (stopped) return;
    try {
      const c = await pool.connect();
      if (stopped) {
        c.release();
        return;
      }
      client = c;
      c.on("notification", (msg) => {
        if (
          msg.channel === "pgrst" &&
          (msg.payload === "reload schema" || msg.payload === "reload config" || msg.payload === "" || msg.payload === undefined)
        )
          onReload();
      });
      c.on("error", (err) => {
        if (client !== c) return;
        log.warn({ err }, "schema cache listener lost its connection; reconnecting");
        dropAndRetry(c, err);
      });
      await c.query("listen pgrst");
      if (isRetry) onReload();
    } catch (err) {
      log.warn({ err }, "schema cache listener could not connect; retrying");
      const c = client;
      client = undefined;
      c?.release(err as Error);
      scheduleRetry();
    }
  };
  const dropAndRetry = (c: pg.PoolClient, err: Error) => {
    if (client !== c) return;
    client = undefined;
    c.release(err);
    scheduleRetry();
  };
  const scheduleRetry = () => {
    if (stopped) return;
    timer = setTimeout(() => void connect(true), RETRY_MS);
  };

  void connect(false);
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      if (c) {
        c.release(true);
      }
    },
  };
}
