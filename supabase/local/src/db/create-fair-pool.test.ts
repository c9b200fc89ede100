import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createFairPool, fairKeyOf, isPriorityRequest } from "./create-fair-pool.ts";

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
    const fair = createFairPool(pool, { size: 1, perKey: 1, perTrustedKey: 1, priority: 1 });
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
    const fair = createFairPool(counting.pool, { size: 3, perKey: 3, perTrustedKey: 3, priority: 1 });
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
    const fair = createFairPool(pool, { size: 1, perKey: 1, perTrustedKey: 1, priority: 1 });
    await expect(fair.connect("a")).rejects.toThrow("connection refused");
    refuse = false;
    const lease = await fair.connect("b");
    expect(fair.waiting).toBe(0);
    lease.release();
  });

  it("lets one key hold at most perKey connections, serving other keys meanwhile", async () => {
    const counting = countingPool();
    const fair = createFairPool(counting.pool, { size: 10, perKey: 2, perTrustedKey: 2, priority: 1 });
    const a1 = await fair.connect("a");
    const a2 = await fair.connect("a");
    let a3Served = false;
    const a3 = fair.connect("a").then((lease) => {
      a3Served = true;
      return lease;
    });
    // Eight connections are free, but "a" is at its limit: its third request waits while "b" is served at once.
    const b1 = await fair.connect("b");
    expect(fair.waiting).toBe(1);
    expect(a3Served).toBe(false);
    a1.release();
    (await a3).release();
    for (const lease of [a2, b1]) lease.release();
    expect(counting.maxOut()).toBe(3);
    expect(fair.waiting).toBe(0);
  });

  it("serves the priority lane before every waiting key, outside the key's limit, at most `priority` at once", async () => {
    const { pool } = countingPool();
    const fair = createFairPool(pool, { size: 2, perKey: 2, perTrustedKey: 2, priority: 1 });
    const held = [await fair.connect("service_role:"), await fair.connect("service_role:")];
    const order: string[] = [];
    const take = async (label: string, key: string, priority: boolean) => {
      const lease = await fair.connect(key, { priority });
      order.push(label);
      return lease;
    };
    const member = take("member", "authenticated:u1", false);
    const claim1 = take("claim1", "service_role:", true);
    const claim2 = take("claim2", "service_role:", true);
    expect(fair.waiting).toBe(3);
    // One connection comes back: the first claim gets it although the member waited longer.
    held[0]?.release();
    const first = await claim1;
    expect(order).toEqual(["claim1"]);
    // The next one goes to the member: the priority lane already holds its one connection.
    held[1]?.release();
    const second = await member;
    expect(order).toEqual(["claim1", "member"]);
    first.release();
    (await claim2).release();
    second.release();
    expect(order).toEqual(["claim1", "member", "claim2"]);
    expect(fair.waiting).toBe(0);
  });

  it("puts only the service role's urgent requests (Priority: u=0..2) in the priority lane", () => {
    const service = { role: "service_role", claims: { role: "service_role" } } as const;
    const member = { role: "authenticated", claims: { role: "authenticated", sub: "u1" } } as const;
    expect(isPriorityRequest(service, "u=0")).toBe(true);
    expect(isPriorityRequest(service, "u=2, i")).toBe(true);
    expect(isPriorityRequest(service, "i, u=1")).toBe(true);
    expect(isPriorityRequest(service, "u=3")).toBe(false);
    expect(isPriorityRequest(service, "u=9")).toBe(false);
    expect(isPriorityRequest(service, undefined)).toBe(false);
    expect(isPriorityRequest(member, "u=0")).toBe(false);
  });

  it("keys requests by role and user", () => {
    expect(fairKeyOf({ role: "authenticated", claims: { role: "authenticated", sub: "u1" } })).toBe("authenticated:u1");
    expect(fairKeyOf({ role: "service_role", claims: { role: "service_role" } })).toBe("service_role:");
  });
});
