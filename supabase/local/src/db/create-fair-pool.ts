import type pg from "pg";
import type { TRequestIdentity } from "./with-claims.ts";

/** A connection taken from a fair pool; `release` hands it back (with the error that broke it, if any) and serves the next waiter. */
export interface TFairClient {
  client: pg.PoolClient;
  release(broken?: Error): void;
}

/** A connection pool whose waiters take turns by key, so no caller's burst of requests holds everyone else back. */
export interface TFairPool {
  connect(key: string): Promise<TFairClient>;
  /** Callers waiting for a connection now, across keys. */
  readonly waiting: number;
}

/**
 * Wraps a pg pool of `size` connections: at most `size` connections are out at once, and when all
 * are, waiters are served round-robin by key (one per key in turn, each key's own waiters in
 * order). pg's own queue is first come, first served: one member's 100 writes sent at once (a bulk
 * import, a script) would queue every other member's reads, the executor's claims and realtime's
 * checks behind them. Keyed turns bound that wait by the number of keys waiting, not the number of
 * requests.
 */
export function createFairPool(pool: pg.Pool, size: number): TFairPool {
  /** Waiters by key; a key is present only while it has waiters, and Map order is the turn order. */
  const queues = new Map<string, Array<() => void>>();
  let out = 0;
  let waiting = 0;

  const grant = () => {
    while (out < size) {
      const next = queues.entries().next();
      if (next.done) return;
      const [key, waiters] = next.value;
      const wake = waiters.shift();
      queues.delete(key);
      // The key goes to the back of the turn order when it still waits.
      if (waiters.length > 0) queues.set(key, waiters);
      if (!wake) continue;
      out += 1;
      waiting -= 1;
      wake();
    }
  };

  const turn = (key: string) =>
    new Promise<void>((resolve) => {
      waiting += 1;
      const waiters = queues.get(key);
      if (waiters) waiters.push(resolve);
      else queues.set(key, [resolve]);
      grant();
    });

  return {
    get waiting() {
      return waiting;
    },
    async connect(key) {
      await turn(key);
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        out -= 1;
        grant();
        throw err;
      }
      let released = false;
      return {
        client,
        release(broken) {
          if (released) return;
          released = true;
          client.release(broken);
          out -= 1;
          grant();
        },
      };
    },
  };
}

/** The turn a request waits in: each signed-in user, each API role without a user (anon, service_role). */
export function fairKeyOf(identity: TRequestIdentity): string {
  const sub = typeof identity.claims.sub === "string" ? identity.claims.sub : "";
  return `${identity.role}:${sub}`;
}
