import pino from "pino";
import { describe, expect, it } from "vitest";
import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import type { TClaimedDelivery } from "./claim-deliveries.ts";
import { createDeliveryWorker } from "./create-delivery-worker.ts";
import type { TDeliveryOutcome } from "./process-delivery.ts";

const log = pino({ level: "silent" });

/** A queue in memory behind the two RPCs the worker calls (the integration tests use the real ones). */
function memoryQueue(size: number) {
  const queued = Array.from({ length: size }, (_, i) => ({ id: `d${i}`, message_id: `m${i}` }) as TDeliveryRow);
  const calls = { claims: 0, releases: 0, visibleAfterClaims: 0 };
  const db = {
    rpc: async (name: string, args: { p_limit?: number }) => {
      if (name === "claim_chat_delivery_batch") {
        calls.claims += 1;
        if (calls.claims <= calls.visibleAfterClaims) return { data: [], error: null };
        return { data: queued.splice(0, args.p_limit ?? 1).map((delivery) => ({ delivery, context: null })), error: null };
      }
      if (name === "release_chat_deliveries") {
        calls.releases += 1;
        return { data: 1, error: null };
      }
      throw new Error(`unexpected rpc ${name}`);
    },
  } as unknown as TDb;
  return { db, queued, calls };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createDeliveryWorker", () => {
  it("never runs more deliveries at once than its concurrency and drains the queue", async () => {
    const { db, queued } = memoryQueue(20);
    let running = 0;
    let peak = 0;
    const worker = createDeliveryWorker({
      db,
      executorId: "x",
      concurrency: 3,
      pollIntervalMs: 1_000,
      historyLimit: 20,
      log,
      process: async (): Promise<TDeliveryOutcome> => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(5);
        running -= 1;
        return "replied";
      },
    });
    expect(worker.state).toBe("created");
    worker.start();
    expect(worker.state).toBe("running");
    while (queued.length > 0 || worker.inFlight > 0) await sleep(5);
    expect(peak).toBe(3);
    const report = await worker.stop({ timeoutMs: 1_000 });
    expect(report.finished).toBe(20);
    expect(worker.state).toBe("stopped");
  });

  it("looks again shortly when a wake-up finds nothing visible yet, instead of waiting for the next poll", async () => {
    const { db, calls } = memoryQueue(1);
    const done: string[] = [];
    const worker = createDeliveryWorker({
      db,
      executorId: "x",
      concurrency: 1,
      pollIntervalMs: 60_000,
      historyLimit: 20,
      log,
      process: async (delivery) => {
        done.push(delivery.id);
        return "replied";
      },
    });
    calls.visibleAfterClaims = 2;
    worker.start();
    worker.wake();
    const started = performance.now();
    while (done.length === 0 && performance.now() - started < 2_000) await sleep(2);
    expect(done).toEqual(["d0"]);
    expect(performance.now() - started).toBeLessThan(500);
    await worker.stop({ timeoutMs: 1_000 });
  });

  it("aborts deliveries still running at the shutdown deadline and releases them", async () => {
    const { db, calls } = memoryQueue(2);
    const worker = createDeliveryWorker({
      db,
      executorId: "x",
      concurrency: 2,
      pollIntervalMs: 1_000,
      historyLimit: 20,
      log,
      process: (_delivery, signal) =>
        new Promise<TDeliveryOutcome>((resolve) => {
          signal.addEventListener("abort", () => resolve("aborted"), { once: true });
        }),
    });
    worker.start();
    while (worker.inFlight < 2) await sleep(2);
    const report = await worker.stop({ timeoutMs: 50 });
    expect(report).toEqual({ finished: 0, aborted: 2, released: 1 });
    expect(calls.releases).toBe(1);
    expect(worker.inFlight).toBe(0);
  });

  it("claims nothing for the Control API once it is stopping", async () => {
    const { db } = memoryQueue(1);
    const worker = createDeliveryWorker({
      db,
      executorId: "x",
      concurrency: 1,
      pollIntervalMs: 60_000,
      historyLimit: 20,
      log,
      process: async () => "replied",
    });
    worker.start();
    await worker.stop({ timeoutMs: 100 });
    expect(await worker.claimMessage("m0")).toEqual([]);
  });

  it("reserves only slots that are free or being freed, keeps its own claims out of them, and runs what was claimed along", async () => {
    const { db, calls } = memoryQueue(1);
    const gates: (() => void)[] = [];
    const ran: string[] = [];
    const worker = createDeliveryWorker({
      db,
      executorId: "x",
      concurrency: 3,
      pollIntervalMs: 60_000,
      historyLimit: 20,
      log,
      process: (claimed) =>
        new Promise<TDeliveryOutcome>((resolve) => {
          ran.push(claimed.id);
          gates.push(() => resolve("replied"));
        }),
    });
    worker.start();
    while (worker.inFlight < 1) await sleep(2);
    const claimsBefore = calls.claims;
    // One delivery finishing, two slots free: the claim made along with its reply may take three.
    const reservation = worker.reserve(1);
    expect(reservation.limit).toBe(3);
    expect(worker.reserve(1).limit).toBe(1);
    // A wake-up now must not claim the two free slots the reservation holds.
    worker.wake();
    await sleep(20);
    expect(calls.claims).toBe(claimsBefore);
    reservation.settle([
      { id: "a1", delivery: { id: "a1" }, context: null },
      { id: "a2", delivery: { id: "a2" }, context: null },
    ] as unknown as TClaimedDelivery[]);
    expect(ran).toEqual(["d0", "a1", "a2"]);
    expect(worker.inFlight).toBe(3);
    for (const open of gates.splice(0)) open();
    await worker.stop({ timeoutMs: 1_000 });
    expect(worker.reserve(1).limit).toBe(0);
  });
});
