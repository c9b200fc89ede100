import type pg from "pg";
import type { TRequestIdentity } from "./with-claims.ts";

/** A connection taken from a fair pool; `release` hands it back (with the error that broke it, if any) and serves the next waiter. */
export interface TFairClient {
  client: pg.PoolClient;
  release(broken?: Error): void;
}

/** How a fair pool shares its connections. */
export interface TFairPoolLimits {
  /** Connections out at once, in all. */
  size: number;
  /** Connections one key may hold at once (its other requests wait for their turn). */
  perKey: number;
  /** The same for a `trusted` key (a backend that paces its own work, e.g. the executors' service role). */
  perTrustedKey: number;
  /** Connections the priority lane may hold at once. */
  priority: number;
}

/** A connection pool whose waiters take turns by key, so no caller's burst of requests holds everyone else back. */
export interface TFairPool {
  /**
   * Waits for a connection in the key's turn. `priority` (the executor's queue claims) is served
   * before every other waiter, while fewer than `limits.priority` priority connections are out;
   * A `trusted` key is held to `limits.perTrustedKey` instead of `limits.perKey`.
   */
  connect(key: string, options?: { priority?: boolean; trusted?: boolean }): Promise<TFairClient>;
  /** Callers waiting for a connection now, across keys. */
  readonly waiting: number;
  readonly limits: TFairPoolLimits;
}

/**
 * Wraps a pg pool: at most `size` connections are out at once, one key holds at most `perKey` of
 * them (`perTrustedKey` for a trusted one; as PgBouncer's pool size per user), and waiters are served
 * round-robin by key (one per key in turn, each key's own waiters in order), skipping keys at their
 * limit. pg's own queue is first
 * come, first served: one member's 100 writes sent at once (a bulk import, a script) would queue
 * every other member's reads, the executor's claims and realtime's checks behind them, and would
 * run 20 transactions at once on a machine with 2 cores, each of them (and every other request)
 * then taking 10 times as long. The priority lane is for short requests that other work waits on
 * (a claim turns queued runs into started ones): they go first.
 */
export function createFairPool(pool: pg.Pool, limits: TFairPoolLimits): TFairPool {
  /** Waiters by key; a key is present only while it has waiters, and Map order is the turn order. */
  const queues = new Map<string, Array<() => void>>();
  const priorityWaiters: Array<() => void> = [];
  /** Connections out by key (normal lane only); a key is present only while it holds one. */
  const held = new Map<string, number>();
  let out = 0;
  let priorityOut = 0;
  let waiting = 0;

  /** Keys that connected as `trusted`. */
  const trustedKeys = new Set<string>();
  const nextKey = (): string | null => {
    for (const key of queues.keys()) {
      if ((held.get(key) ?? 0) < (trustedKeys.has(key) ? limits.perTrustedKey : limits.perKey)) return key;
    }
    return null;
  };

  const grant = () => {
    while (out < limits.size) {
      if (priorityWaiters.length > 0 && priorityOut < limits.priority) {
        const wake = priorityWaiters.shift() as () => void;
        out += 1;
        priorityOut += 1;
        waiting -= 1;
        wake();
        continue;
      }
      const key = nextKey();
      if (key === null) return;
      const waiters = queues.get(key) as Array<() => void>;
      const wake = waiters.shift() as () => void;
      queues.delete(key);
      // The key goes to the back of the turn order when it still waits.
      if (waiters.length > 0) queues.set(key, waiters);
      out += 1;
      held.set(key, (held.get(key) ?? 0) + 1);
      waiting -= 1;
      wake();
    }
  };

  const giveBack = (key: string, priority: boolean) => {
    out -= 1;
    if (priority) priorityOut -= 1;
    else {
      const count = (held.get(key) ?? 1) - 1;
      if (count > 0) held.set(key, count);
      else held.delete(key);
    }
    grant();
  };

  const turn = (key: string, priority: boolean) =>
    new Promise<void>((resolve) => {
      waiting += 1;
      if (priority) priorityWaiters.push(resolve);
      else {
        const waiters = queues.get(key);
        if (waiters) waiters.push(resolve);
        else queues.set(key, [resolve]);
      }
      grant();
    });

  return {
    limits,
    get waiting() {
      return waiting;
    },
    async connect(key, options) {
      const priority = options?.priority === true;
      if (options?.trusted) trustedKeys.add(key);
      await turn(key, priority);
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        giveBack(key, priority);
        throw err;
      }
      let released = false;
      return {
        client,
        release(broken) {
          if (released) return;
          released = true;
          client.release(broken);
          giveBack(key, priority);
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

/**
 * Whether a request goes in the priority lane: only the service role's (the executor's) may, and
 * only those that say so with the `Priority` header of RFC 9218 at urgency 0–2 (`u=0`; the default
 * urgency is 3). Anyone else's header is ignored: a member cannot jump the line.
 */
export function isPriorityRequest(identity: TRequestIdentity, priorityHeader: string | string[] | undefined): boolean {
  if (identity.role !== "service_role" || typeof priorityHeader !== "string") return false;
  const urgency = /(?:^|[,\s])u=([0-7])(?:$|[,\s;])/.exec(priorityHeader);
  return urgency !== null && Number(urgency[1]) < 3;
}
