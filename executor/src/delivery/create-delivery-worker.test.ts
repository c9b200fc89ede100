import { AppError } from "@mission-control/shared/errors";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { TDb, TMessageRow } from "../db/executor-client.ts";
import { deliveryRow, messageRow } from "../testing/delivery-rows.ts";
import { fakeRpcAnswer } from "../testing/fake-rpc-answer.ts";
import { waitFor } from "../testing/wait-for.ts";
import { createDeliveryWorker } from "./create-delivery-worker.ts";
import type { TClaimedDelivery } from "./decode-claimed-delivery.ts";
import type { TProcessed } from "./process-delivery.ts";
import type { TSavedReply } from "./save-replies.ts";

const log = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function replyRow(deliveryId: string, content: string): TMessageRow {
  return messageRow(`r-${deliveryId}`, content, {
    author_type: "agent",
    author_agent_key: "lead",
    author_user_id: null,
    reply_to: `m-${deliveryId}`,
    status: "sent",
    target_agent_keys: [],
    seq: 1,
  });
}

type TSaveCall = { replies: string[]; claimLimit: number };
type TRpcResult = { data: unknown; error: { message: string; code?: string } | null };

/**
 * A queue in memory behind the RPCs the worker calls (the integration tests use the real ones).
 * `gate` holds the next call of an RPC until the test opens it; `refuse` answers a reply with a refusal.
 */
function memoryQueue(size: number) {
  const queued = Array.from({ length: size }, (_, i) => deliveryRow(`d${i}`));
  const calls = { claims: [] as number[], saves: [] as TSaveCall[], releases: 0, visibleAfterClaims: 0 };
  const gates = new Map<string, Promise<void>>();
  const refuse = new Map<string, { code: string; error: string; hint: string | null }>();
  let failSaves = false;
  let overClaim = 0;
  const take = (limit: number) => queued.splice(0, limit + overClaim).map((delivery) => ({ delivery, context: null }));
  const record = (name: string, args: Record<string, unknown>) => {
    if (name === "claim_chat_delivery_batch") calls.claims.push(args.p_limit as number);
    if (name === "complete_chat_deliveries") {
      const replies = args.p_replies as { delivery_id: string }[];
      calls.saves.push({ replies: replies.map((r) => r.delivery_id), claimLimit: args.p_claim_limit as number });
    }
  };
  const answer = (name: string, args: Record<string, unknown>): TRpcResult => {
    if (name === "claim_chat_delivery_batch") {
      if (calls.claims.length <= calls.visibleAfterClaims) return { data: [], error: null };
      return { data: take(args.p_limit as number), error: null };
    }
    if (name === "complete_chat_deliveries") {
      const replies = args.p_replies as { delivery_id: string; reply: string }[];
      const claimLimit = args.p_claim_limit as number;
      if (failSaves) return { data: null, error: { message: "TypeError: fetch failed", code: "" } };
      const saved = replies.map(({ delivery_id, reply }) => {
        const refusal = refuse.get(delivery_id);
        return refusal ? { delivery_id, ok: false, ...refusal } : { delivery_id, ok: true, message: replyRow(delivery_id, reply) };
      });
      return { data: { saved, claimed: take(claimLimit) }, error: null };
    }
    if (name === "release_chat_deliveries") {
      calls.releases += 1;
      return { data: 1, error: null };
    }
    throw new Error(`unexpected rpc ${name}`);
  };
  const db = {
    rpc: (name: string, args: Record<string, unknown>) =>
      fakeRpcAnswer(
        (async () => {
          record(name, args);
          // The transaction is done when the call arrives; a gate only holds its answer back.
          const result = answer(name, args);
          const gate = gates.get(name);
          gates.delete(name);
          await gate;
          return result;
        })(),
      ),
  } as unknown as TDb;
  return {
    db,
    queued,
    calls,
    refuse,
    failSaves: (fail: boolean) => {
      failSaves = fail;
    },
    overClaim: (extra: number) => {
      overClaim = extra;
    },
    /** Holds the answer to the next call of `name`; returns what lets it through. */
    gate(name: string): () => void {
      let open = () => {};
      gates.set(name, new Promise<void>((resolve) => (open = resolve)));
      return open;
    },
  };
}

/** A processing step that answers every delivery with "ok" and records what its save came to. */
function answering(seen: Map<string, TSavedReply | AppError> = new Map()) {
  return async (claimed: TClaimedDelivery): Promise<TProcessed> => ({
    kind: "reply",
    reply: { deliveryId: claimed.id, reply: `ok ${claimed.id}`, metadata: {} },
    finish: async (saved) => {
      seen.set(claimed.id, saved);
      return saved instanceof AppError ? "failed" : "replied";
    },
  });
}

/** A processing step that answers only when the test opens the delivery's gate. */
function gated() {
  const gates = new Map<string, () => void>();
  const started: string[] = [];
  const aborted: string[] = [];
  const process = (claimed: TClaimedDelivery, signal: AbortSignal) =>
    new Promise<TProcessed>((resolve) => {
      started.push(claimed.id);
      signal.addEventListener(
        "abort",
        () => {
          aborted.push(claimed.id);
          resolve({ kind: "ended", outcome: "aborted" });
        },
        { once: true },
      );
      gates.set(claimed.id, () =>
        resolve({ kind: "reply", reply: { deliveryId: claimed.id, reply: "ok", metadata: {} }, finish: async () => "replied" }),
      );
    });
  const open = (...ids: string[]) => {
    for (const id of ids) {
      const gate = gates.get(id);
      if (!gate) throw new Error(`${id} is not running`);
      gates.delete(id);
      gate();
    }
  };
  return { process, started, aborted, open };
}

const options = { executorId: "x", historyLimit: 20, log };

describe("createDeliveryWorker", () => {
  it("never runs more deliveries at once than its concurrency, saves every reply and drains the queue", async () => {
    const { db, queued, calls } = memoryQueue(20);
    let running = 0;
    let peak = 0;
    const seen = new Map<string, TSavedReply | AppError>();
    const answer = answering(seen);
    const worker = createDeliveryWorker({
      ...options,
      db,
      concurrency: 3,
      pollIntervalMs: 1_000,
      process: async (claimed): Promise<TProcessed> => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(5);
        running -= 1;
        return answer(claimed);
      },
    });
    expect(worker.state).toBe("created");
    worker.start();
    expect(worker.state).toBe("running");
    await waitFor("the queue to drain", () => queued.length === 0 && seen.size === 20);
    await worker.idle();
    expect(peak).toBe(3);
    expect([...seen.values()].every((saved) => !(saved instanceof AppError))).toBe(true);
    // Each save call claims at most the slots its replies free plus the free ones.
    for (const save of calls.saves) expect(save.claimLimit).toBeLessThanOrEqual(3);
    const report = await worker.stop({ timeoutMs: 1_000 });
    expect(report.finished).toBe(20);
    expect(worker.state).toBe("stopped");
    expect(worker.inFlight).toBe(0);
  });

  it("saves the replies ready on the same turn in one call, which claims the slots they free", async () => {
    const { db, calls } = memoryQueue(10);
    const work = gated();
    const worker = createDeliveryWorker({ ...options, db, concurrency: 4, pollIntervalMs: 60_000, process: work.process });
    worker.start();
    await waitFor("four deliveries running", () => work.started.length === 4);
    expect(calls.claims).toEqual([4]);
    work.open("d0", "d1");
    await waitFor("the deliveries claimed along to start", () => work.started.length === 6);
    expect(calls.saves).toEqual([{ replies: ["d0", "d1"], claimLimit: 2 }]);
    expect(calls.claims).toEqual([4]);
    expect(work.started).toEqual(["d0", "d1", "d2", "d3", "d4", "d5"]);
    expect(worker.inFlight).toBe(4);
    await worker.stop({ timeoutMs: 20 });
  });

  it("sends the replies that become ready while a call is in flight together in the next call", async () => {
    const { db, calls, gate } = memoryQueue(3);
    const work = gated();
    const worker = createDeliveryWorker({ ...options, db, concurrency: 3, pollIntervalMs: 60_000, process: work.process });
    worker.start();
    await waitFor("three deliveries running", () => work.started.length === 3);
    const openSave = gate("complete_chat_deliveries");
    work.open("d0");
    await waitFor("the first call to be sent", () => calls.saves.length === 1);
    // Let each resolved delivery queue its reply (microtasks), while the first call is held.
    work.open("d1");
    await sleep(0);
    work.open("d2");
    await sleep(0);
    expect(calls.saves).toHaveLength(1);
    openSave();
    await worker.idle();
    expect(calls.saves.map((save) => save.replies)).toEqual([["d0"], ["d1", "d2"]]);
    await worker.stop({ timeoutMs: 1_000 });
  });

  it("keeps the slots a claim in flight was promised out of a claim made along with saving replies", async () => {
    const { db, calls, gate } = memoryQueue(1);
    const work = gated();
    const worker = createDeliveryWorker({ ...options, db, concurrency: 3, pollIntervalMs: 60_000, process: work.process });
    worker.start();
    await waitFor("the first delivery running", () => work.started.length === 1);
    await waitFor("the first claim to settle", () => calls.claims.length === 1);
    const openClaim = gate("claim_chat_delivery_batch");
    worker.wake();
    await waitFor("a claim for the two free slots", () => calls.claims.length === 2);
    expect(calls.claims[1]).toBe(2);
    work.open("d0");
    await waitFor("the reply to be saved", () => calls.saves.length === 1);
    // One slot freed by the reply; the two free ones are promised to the claim in flight.
    expect(calls.saves[0]).toEqual({ replies: ["d0"], claimLimit: 1 });
    openClaim();
    await worker.stop({ timeoutMs: 1_000 });
  });

  it("serves a wake-up that came while every free slot was promised to a claim made along with saving replies", async () => {
    const { db, calls, gate, queued } = memoryQueue(1);
    const work = gated();
    const worker = createDeliveryWorker({ ...options, db, concurrency: 2, pollIntervalMs: 60_000, process: work.process });
    worker.start();
    await waitFor("the first delivery running", () => work.started.length === 1);
    await waitFor("the first claim to settle", () => calls.claims.length === 1);
    const openSave = gate("complete_chat_deliveries");
    work.open("d0");
    await waitFor("the reply to be saved", () => calls.saves.length === 1);
    expect(calls.saves[0]?.claimLimit).toBe(2);
    // Committed after that call's claim looked; the wake-up finds every slot promised to it.
    queued.push(deliveryRow("late"));
    worker.wake();
    await sleep(0);
    expect(calls.claims).toHaveLength(1);
    openSave();
    await waitFor("the late delivery to start", () => work.started.includes("late"));
    expect(calls.claims).toEqual([2, 2]);
    await worker.stop({ timeoutMs: 20 });
  });

  it("leaves a delivery claimed again while it still runs to its first run, and starts the rest of that claim", async () => {
    const { db, queued, calls } = memoryQueue(1);
    const work = gated();
    const worker = createDeliveryWorker({ ...options, db, concurrency: 4, pollIntervalMs: 60_000, process: work.process });
    worker.start();
    await waitFor("the first delivery running", () => work.started.length === 1);
    await waitFor("the first claim to settle", () => calls.claims.length === 1);
    // d0 was requeued (its retry came due) and is claimed again, together with a new delivery, while its first run goes on.
    queued.push(deliveryRow("d0"), deliveryRow("fresh"));
    worker.wake();
    await waitFor("the new delivery to start", () => work.started.includes("fresh"));
    expect(work.started).toEqual(["d0", "fresh"]);
    expect(worker.inFlight).toBe(2);
    work.open("d0", "fresh");
    await worker.idle();
    expect(calls.saves.flatMap((save) => save.replies).sort()).toEqual(["d0", "fresh"]);
    await worker.stop({ timeoutMs: 1_000 });
    expect(worker.inFlight).toBe(0);
  });

  it("gives a refused reply its error, and still counts the other replies of the call as saved", async () => {
    const { db, refuse, calls } = memoryQueue(2);
    refuse.set("d1", { code: "40001", error: "Delivery d1 is no longer claimed by executor x", hint: "drop this reply" });
    const seen = new Map<string, TSavedReply | AppError>();
    const worker = createDeliveryWorker({ ...options, db, concurrency: 2, pollIntervalMs: 60_000, process: answering(seen) });
    worker.start();
    await waitFor("both replies to be settled", () => seen.size === 2);
    await worker.idle();
    expect(calls.saves).toEqual([{ replies: ["d0", "d1"], claimLimit: 2 }]);
    expect(seen.get("d0")).toEqual({ messageId: "r-d0" });
    expect(seen.get("d1")).toBeInstanceOf(AppError);
    expect(seen.get("d1")).toMatchObject({ code: "conflict", message: expect.stringMatching(/no longer claimed/) });
    expect(worker.inFlight).toBe(0);
    expect(await worker.stop({ timeoutMs: 1_000 })).toMatchObject({ finished: 2 });
  });

  it("finishes every reply of a call that failed with its error, and frees their slots", async () => {
    const { db, failSaves } = memoryQueue(2);
    failSaves(true);
    const seen = new Map<string, TSavedReply | AppError>();
    const worker = createDeliveryWorker({ ...options, db, concurrency: 2, pollIntervalMs: 60_000, process: answering(seen) });
    worker.start();
    await waitFor("both replies to be settled", () => seen.size === 2);
    await worker.idle();
    expect([...seen.values()].map((saved) => (saved instanceof AppError ? saved.code : "saved"))).toEqual([
      "database_unreachable",
      "database_unreachable",
    ]);
    expect(worker.inFlight).toBe(0);
    await worker.stop({ timeoutMs: 1_000 });
  });

  it("looks again shortly when a wake-up finds nothing visible yet, instead of waiting for the next poll", async () => {
    const { db, calls } = memoryQueue(1);
    const done: string[] = [];
    const worker = createDeliveryWorker({
      ...options,
      db,
      concurrency: 1,
      pollIntervalMs: 60_000,
      process: async (delivery) => {
        done.push(delivery.id);
        return { kind: "ended", outcome: "failed" };
      },
    });
    calls.visibleAfterClaims = 2;
    worker.start();
    worker.wake();
    // The next poll is a minute away: the delivery is claimed by the looks the empty claim scheduled.
    await waitFor("the delivery to be claimed", () => done.length > 0);
    expect(done).toEqual(["d0"]);
    expect(calls.claims.length).toBeGreaterThanOrEqual(3);
    await worker.stop({ timeoutMs: 1_000 });
  });

  it("aborts deliveries still running at the shutdown deadline and releases them", async () => {
    const { db, calls } = memoryQueue(2);
    const work = gated();
    const worker = createDeliveryWorker({ ...options, db, concurrency: 2, pollIntervalMs: 1_000, process: work.process });
    worker.start();
    await waitFor("two deliveries running", () => worker.inFlight === 2);
    const report = await worker.stop({ timeoutMs: 50 });
    expect(report).toEqual({ finished: 0, aborted: 2, released: 1 });
    expect(calls.releases).toBe(1);
    expect(worker.inFlight).toBe(0);
  });

  it("does not start deliveries claimed along once the shutdown deadline passed; the stop releases them", async () => {
    const { db, calls, gate } = memoryQueue(3);
    const work = gated();
    const worker = createDeliveryWorker({ ...options, db, concurrency: 2, pollIntervalMs: 60_000, process: work.process });
    worker.start();
    await waitFor("two deliveries running", () => work.started.length === 2);
    const openSave = gate("complete_chat_deliveries");
    work.open("d0");
    await waitFor("the save to be sent", () => calls.saves.length === 1);
    expect(calls.saves[0]?.claimLimit).toBe(1);
    const stopped = worker.stop({ timeoutMs: 20 });
    await waitFor("the deadline to abort the delivery still running", () => work.aborted.includes("d1"));
    openSave();
    expect(await stopped).toEqual({ finished: 1, aborted: 1, released: 1 });
    expect(work.started).toEqual(["d0", "d1"]);
    expect(worker.inFlight).toBe(0);
  });

  it("claims nothing for the Control API once it is stopping", async () => {
    const { db } = memoryQueue(1);
    const worker = createDeliveryWorker({ ...options, db, concurrency: 1, pollIntervalMs: 60_000, process: answering() });
    worker.start();
    await worker.stop({ timeoutMs: 100 });
    expect(await worker.claimMessage("m0")).toEqual([]);
  });

  it("starts none of the deliveries of a claim that returned more than it asked for, and says so", async () => {
    const { db, overClaim, calls } = memoryQueue(5);
    overClaim(1);
    const lines: string[] = [];
    const worker = createDeliveryWorker({
      ...options,
      log: pino({ level: "error" }, { write: (line: string) => lines.push(line) }),
      db,
      concurrency: 1,
      pollIntervalMs: 60_000,
      process: async (): Promise<TProcessed> => {
        throw new Error("must not run");
      },
    });
    worker.start();
    await waitFor("the claim to be refused", () => lines.length > 0);
    expect(calls.claims).toEqual([1]);
    expect(lines[0]).toMatch(/claim_chat_delivery_batch claimed 2 deliveries when asked for at most 1/);
    expect(worker.inFlight).toBe(0);
    await worker.stop({ timeoutMs: 100 });
  });
});
