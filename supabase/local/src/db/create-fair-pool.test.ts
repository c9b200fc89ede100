import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createFairPool, fairKeyOf } from "./create-fair-pool.ts";

/** A pg pool stand-in that hands out numbered clients and records how they came back. */
function countingPool(options: { failConnect?: () => boolean } = {}) {
  let next = 0;
  const released: Array<{ id: number; broken?: Error }> = [];
  let out = 0;
  let maxOut = 0;
  const pool = {
    async connect() {
      if (options.failConnect?.()) throw new Error("connection refused");
      const id = ++next;
      out += 1;
      maxOut = Math.max(maxOut, out);
      return {
        id,
        release(broken?: Error) {
          out -= 1;
          released.push({ id, broken });
        },
      };
    },
  };
  return { pool: pool as unknown as pg.Pool, released, maxOut: () => maxOut };
}

describe("createFairPool", () => {
  it("serves waiting keys in turns, each key's own waiters in order", async () => {
    const { pool } = countingPool();
    const fair = createFairPool(pool, 1);
    const order: string[] = [];
    const first = await fair.connect("a");
    order.push("a1");
    // a2..a4 (one caller's burst) wait before b1 and c1 arrive; each gives its connection back at once.
    const waiting = ["a2", "a3", "a4", "b1", "c1"].map(async (label) => {
      const lease = await fair.connect(label.slice(0, 1));
      order.push(label);
      lease.release();
    });
    expect(fair.waiting).toBe(5);
    first.release();
    await Promise.all(waiting);
    expect(order).toEqual(["a1", "a2", "b1", "c1", "a3", "a4"]);
    expect(fair.waiting).toBe(0);
  });

  it("never has more connections out than its size, and hands a broken connection back as broken", async () => {
    const counting = countingPool();
    const fair = createFairPool(counting.pool, 3);
    const leases = await Promise.all(Array.from({ length: 3 }, (_, i) => fair.connect(`k${i % 2}`)));
    const later = Array.from({ length: 6 }, (_, i) => fair.connect(`k${i % 3}`));
    expect(fair.waiting).toBe(6);
    const broken = new Error("terminated");
    leases[0]?.release(broken);
    leases[0]?.release();
    leases[1]?.release();
    leases[2]?.release();
    await Promise.all(later.map(async (lease) => (await lease).release()));
    expect(counting.maxOut()).toBe(3);
    expect(counting.released).toHaveLength(9);
    expect(counting.released[0]).toEqual({ id: 1, broken });
  });

  it("gives the turn back when the pool cannot connect", async () => {
    let refuse = true;
    const { pool } = countingPool({ failConnect: () => refuse });
    const fair = createFairPool(pool, 1);
    await expect(fair.connect("a")).rejects.toThrow("connection refused");
    refuse = false;
    const lease = await fair.connect("b");
    expect(fair.waiting).toBe(0);
    lease.release();
  });

  it("keys requests by role and user", () => {
    expect(fairKeyOf({ role: "authenticated", claims: { role: "authenticated", sub: "u1" } })).toBe("authenticated:u1");
    expect(fairKeyOf({ role: "service_role", claims: { role: "service_role" } })).toBe("service_role:");
  });
});
