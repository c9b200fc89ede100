import { AppError } from "@mission-control/shared/errors";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TDb } from "../db/executor-client.ts";
import { deliveriesOf, repliesTo, sendMessage } from "../testing/send-message.ts";
import { createTestProject, holdExecutorLock, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";
import { claimDeliveries } from "./claim-deliveries.ts";
import { createDeliveryWorker } from "./create-delivery-worker.ts";
import type { TClaimedDelivery, TDeliveryInput } from "./decode-claimed-delivery.ts";
import { saveReplies } from "./save-replies.ts";

const log = pino({ level: "silent" });
let project: TTestProject;
let releaseLock: () => Promise<void>;

// No executor runs while this file holds the lock, so every claim here is made by the test itself.
beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("save-replies", [
    { agent_key: "lead", display_name: "Lead", system_prompt: "You lead." },
    { agent_key: "backend", display_name: "Backend" },
  ]);
  await project.db.from("brain_docs").insert({
    project_id: project.projectId,
    agent_key: null,
    doc_type: "mission",
    title: "Mission",
    content: "Answer every message once.",
  });
});

afterAll(async () => {
  await project?.remove();
  await releaseLock?.();
});

/** Sends `content` to a DM and claims its delivery as `executorId`. */
async function sendAndClaim(threadKey: string, content: string, executorId: string): Promise<TClaimedDelivery> {
  const message = await sendMessage(project.operator, project.projectId, threadKey, content);
  const [claimed] = await claimDeliveries(project.db, { executorId, limit: 5, historyLimit: 20, messageId: message.id, log });
  if (!claimed) throw new Error(`the delivery of ${message.id} was not claimed`);
  return claimed;
}

/** What the agent gets for a claimed delivery; fails the test when the claim could not be decoded for it. */
function inputOf(claimed: TClaimedDelivery | undefined): TDeliveryInput {
  if (!claimed) throw new Error("nothing was claimed");
  if (claimed.input instanceof AppError) throw claimed.input;
  return claimed.input;
}

/** Saves one reply as `executorId`, claiming nothing along. */
async function saveOne(executorId: string, deliveryId: string, reply: string) {
  const { saved } = await saveReplies(project.db, { executorId, historyLimit: 0, log }, [{ deliveryId, reply, metadata: {} }], 0);
  const result = saved.get(deliveryId);
  if (!result || result instanceof AppError) throw result ?? new Error(`no outcome for ${deliveryId}`);
  return result;
}

/** The service-role client with its RPC calls counted by function name. */
function countingDb(db: TDb): { db: TDb; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const counted = new Proxy(db, {
    get(target, key, receiver) {
      if (key !== "rpc") return Reflect.get(target, key, receiver);
      return (name: string, ...rest: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return (target.rpc as (...args: unknown[]) => unknown)(name, ...rest);
      };
    },
  });
  return { db: counted, calls };
}

describe("claim_chat_delivery_batch", () => {
  it("claims a delivery with everything the agent needs, in one call", async () => {
    const earlier = await sendAndClaim("DM:lead", "First, for the history", "exec-context");
    await saveOne("exec-context", earlier.id, "Noted.");
    const claimed = await sendAndClaim("DM:lead", "What is the plan?", "exec-context");
    expect(claimed.delivery).toMatchObject({ status: "delivered", claimed_by: "exec-context", attempts: 1 });
    const input = inputOf(claimed);
    expect(input.message.content).toBe("What is the plan?");
    expect(input.message.status).toBe("delivered");
    expect(input.thread).toMatchObject({ kind: "dm", thread_key: "DM:lead" });
    expect(input.agent).toMatchObject({ agent_key: "lead", system_prompt: "You lead." });
    expect(input.mission?.content).toBe("Answer every message once.");
    expect(input.history.map((m) => m.content)).toEqual(["First, for the history", "Noted."]);
  });
});

describe("complete_chat_deliveries", () => {
  it("saves each reply of a batch on its own: a refused one does not undo the others", async () => {
    const kept = await sendAndClaim("DM:lead", "Keep this one", "exec-a");
    const lost = await sendAndClaim("DM:backend", "This one was taken over", "exec-other");
    const { data, error } = await project.db.rpc("complete_chat_deliveries", {
      p_executor_id: "exec-a",
      p_replies: [
        { delivery_id: kept.id, reply: "Kept.", metadata: { model: "test" } },
        { delivery_id: lost.id, reply: "Too late." },
        { delivery_id: crypto.randomUUID(), reply: "Nobody asked." },
        { delivery_id: kept.id.replace(/.$/, (c) => (c === "0" ? "1" : "0")) },
      ],
    });
    expect(error).toBeNull();
    const result = data as { saved: { delivery_id: string; ok: boolean; code?: string; error?: string }[]; claimed: unknown[] };
    expect(result.claimed).toEqual([]);
    const byId = new Map(result.saved.map((s) => [s.delivery_id, s]));
    expect(result.saved).toHaveLength(4);
    expect(byId.get(kept.id)).toMatchObject({ ok: true });
    expect(byId.get(lost.id)).toMatchObject({ ok: false, code: "40001" });
    expect(byId.get(lost.id)?.error).toMatch(/no longer claimed by executor exec-a/);
    expect(byId.get(lost.id)).toMatchObject({ hint: expect.stringMatching(/drop this reply/) });
    expect(result.saved.filter((s) => s.code === "P0002")).toHaveLength(1);
    expect(result.saved.filter((s) => s.code === "22023")).toHaveLength(1);

    expect((await deliveriesOf(project.db, kept.delivery.message_id))[0]?.status).toBe("processed");
    expect((await repliesTo(project.db, kept.delivery.message_id)).map((r) => r.content)).toEqual(["Kept."]);
    expect((await deliveriesOf(project.db, lost.delivery.message_id))[0]).toMatchObject({ status: "delivered", claimed_by: "exec-other" });
    expect(await repliesTo(project.db, lost.delivery.message_id)).toHaveLength(0);
  });

  it("counts earlier replies of the same batch against the Team Room posting limit, and saves a delivery listed twice once", async () => {
    const setLimit = (n: number) =>
      project.db
        .from("project_settings")
        .update({ value: { agent_posts_per_hour: n } })
        .eq("project_id", project.projectId)
        .eq("key", "team_room");
    await setLimit(1);
    try {
      const first = await sendAndClaim("team-room", "@backend first", "exec-room");
      const second = await sendAndClaim("team-room", "@backend second", "exec-room");
      const { data, error } = await project.db.rpc("complete_chat_deliveries", {
        p_executor_id: "exec-room",
        p_replies: [
          { delivery_id: first.id, reply: "On it." },
          { delivery_id: second.id, reply: "Also on it." },
          { delivery_id: first.id, reply: "Twice." },
        ],
      });
      expect(error).toBeNull();
      const saved = (data as { saved: { delivery_id: string; ok: boolean; code?: string; error?: string; hint?: string }[] }).saved;
      expect(saved.map((s) => [s.delivery_id, s.ok, s.code ?? null])).toEqual([
        [first.id, true, null],
        [second.id, false, "P0001"],
        [first.id, false, "40001"],
      ]);
      expect(saved[1]?.error).toMatch(/posting limit \(1 posts per hour\)/);
      expect(saved[1]?.hint).toMatch(/agent_posts_per_hour/);
      expect((await repliesTo(project.db, first.delivery.message_id)).map((r) => r.content)).toEqual(["On it."]);
      expect(await repliesTo(project.db, second.delivery.message_id)).toHaveLength(0);
      const { data: feed } = await project.db
        .from("activities")
        .select("summary")
        .eq("project_id", project.projectId)
        .contains("ref", { message_id: (await repliesTo(project.db, first.delivery.message_id))[0]?.id });
      expect(feed).toEqual([{ summary: "backend replied in the Team Room" }]);
      // The refused delivery is still claimed: the worker records the failure with fail_chat_delivery.
      await project.db.rpc("fail_chat_delivery", { p_delivery_id: second.id, p_executor_id: "exec-room", p_error: "posting limit" });
    } finally {
      await setLimit(1000);
    }
  });

  it("claims the next deliveries in the same transaction when asked to", async () => {
    const done = await sendAndClaim("DM:lead", "Done soon", "exec-along");
    const next = await sendMessage(project.operator, project.projectId, "DM:backend", "Next in line");
    const { data, error } = await project.db.rpc("complete_chat_deliveries", {
      p_executor_id: "exec-along",
      p_replies: [{ delivery_id: done.id, reply: "Done." }],
      p_claim_limit: 1,
      p_history_limit: 5,
    });
    expect(error).toBeNull();
    const result = data as {
      saved: { ok: boolean }[];
      claimed: { delivery: { message_id: string; claimed_by: string }; context: unknown }[];
    };
    expect(result.saved).toEqual([expect.objectContaining({ ok: true })]);
    expect(result.claimed).toHaveLength(1);
    expect(result.claimed[0]?.delivery).toMatchObject({ message_id: next.id, claimed_by: "exec-along" });
    expect(result.claimed[0]?.context).toMatchObject({ message: { id: next.id }, agent: { agent_key: "backend" } });
  });

  it("refuses a payload that is not an array with a clear error", async () => {
    const { error } = await project.db.rpc("complete_chat_deliveries", { p_executor_id: "x", p_replies: { delivery_id: "nope" } });
    expect(error).toMatchObject({ code: "22023", message: expect.stringMatching(/JSON array/) });
  });
});

describe("saveReplies", () => {
  it("saves replies that come together in one call and gives each its own outcome", async () => {
    const [a, b] = [await sendAndClaim("DM:lead", "One", "exec-saver"), await sendAndClaim("DM:backend", "Two", "exec-saver")];
    const taken = await sendAndClaim("DM:lead", "Three", "exec-elsewhere");
    const { db, calls } = countingDb(project.db);
    const { saved, claimed } = await saveReplies(
      db,
      { executorId: "exec-saver", historyLimit: 0, log },
      [
        { deliveryId: a.id, reply: "Reply one", metadata: {} },
        { deliveryId: b.id, reply: "Reply two", metadata: { model: "m" } },
        { deliveryId: taken.id, reply: "Not mine", metadata: {} },
      ],
      0,
    );
    expect(calls.get("complete_chat_deliveries")).toBe(1);
    const [replyA] = await repliesTo(project.db, a.delivery.message_id);
    const [replyB] = await repliesTo(project.db, b.delivery.message_id);
    expect(replyA).toMatchObject({ content: "Reply one", reply_to: a.delivery.message_id });
    expect(replyB).toMatchObject({ content: "Reply two", metadata: { model: "m" } });
    expect(saved.get(a.id)).toEqual({ messageId: replyA?.id });
    expect(saved.get(b.id)).toEqual({ messageId: replyB?.id });
    const refused = saved.get(taken.id);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "conflict" });
    expect(claimed).toEqual([]);
  });

  it("saves the other replies of a batch when the database refuses one, and fails only that one", async () => {
    const good = await sendAndClaim("DM:lead", "Fine", "exec-split");
    const bad = await sendAndClaim("DM:backend", "Too long", "exec-split");
    const { db, calls } = countingDb(project.db);
    const { saved, claimed: claimedAfterRefusal } = await saveReplies(
      db,
      { executorId: "exec-split", historyLimit: 0, log },
      [
        { deliveryId: good.id, reply: "Short.", metadata: {} },
        // Longer than a chat message may be (the worker cuts replies first; this one skips that).
        { deliveryId: bad.id, reply: "x".repeat(20_001), metadata: {} },
      ],
      2,
    );
    const [short] = await repliesTo(project.db, good.delivery.message_id);
    expect(short?.content).toBe("Short.");
    expect(saved.get(good.id)).toEqual({ messageId: short?.id });
    // Saved one by one after the refusal: nothing was claimed, and the result says the queue was not looked at.
    expect(claimedAfterRefusal).toBeNull();
    expect(saved.get(bad.id)).toMatchObject({ code: "invalid_input", message: expect.stringMatching(/check constraint/) });
    // The batch, then each reply on its own.
    expect(calls.get("complete_chat_deliveries")).toBe(3);
    expect((await deliveriesOf(project.db, bad.delivery.message_id))[0]).toMatchObject({ status: "delivered", claimed_by: "exec-split" });
    await project.db.rpc("fail_chat_delivery", { p_delivery_id: bad.id, p_executor_id: "exec-split", p_error: "too long" });
  });

  it("claims the next deliveries in the same call and decodes them like a claim", async () => {
    const finishing = await sendAndClaim("DM:lead", "Finishing", "exec-res");
    const queued = await sendMessage(project.operator, project.projectId, "DM:backend", "Waiting for a slot");
    const { saved, claimed } = await saveReplies(
      project.db,
      { executorId: "exec-res", historyLimit: 10, log },
      [{ deliveryId: finishing.id, reply: "Finished.", metadata: {} }],
      2,
    );
    const reply = (await repliesTo(project.db, finishing.delivery.message_id))[0];
    expect(reply?.content).toBe("Finished.");
    expect(saved.get(finishing.id)).toEqual({ messageId: reply?.id });
    expect(claimed?.[0]?.delivery).toMatchObject({ message_id: queued.id, claimed_by: "exec-res", status: "delivered" });
    expect(inputOf(claimed?.[0]).agent.agent_key).toBe("backend");
  });

  it("fails a call the database did not answer as a whole, with what to do next", async () => {
    const claimed = await sendAndClaim("DM:lead", "Unreachable", "exec-down");
    const down = new Proxy(project.db, {
      get(target, key, receiver) {
        if (key !== "rpc") return Reflect.get(target, key, receiver);
        return async () => ({ data: null, error: { message: "TypeError: fetch failed", code: "" } });
      },
    });
    await expect(
      saveReplies(down, { executorId: "exec-down", historyLimit: 10, log }, [{ deliveryId: claimed.id, reply: "x", metadata: {} }], 3),
    ).rejects.toMatchObject({ code: "database_unreachable", message: expect.stringMatching(/^Could not save the agent's reply/) });
  });
});

describe("orphaned claims", () => {
  it("hands back only deliveries held longer than the limit that are not running and have attempts left, keeping the attempt counted", async () => {
    const running = await sendAndClaim("DM:lead", "Being answered", "exec-orphans");
    const orphan = await sendAndClaim("DM:backend", "Claim answer lost", "exec-orphans");
    const exhausted = await sendAndClaim("DM:backend", "Crashed the executor every time", "exec-orphans");
    await project.db.from("chat_delivery_queue").update({ attempts: 3, max_attempts: 3 }).eq("id", exhausted.id);
    const release = (claimedMoreThanMs: number) =>
      project.db.rpc("release_chat_deliveries", {
        p_executor_id: "exec-orphans",
        p_running: [running.id],
        p_claimed_more_than_ms: claimedMoreThanMs,
      });
    expect((await release(60_000)).data).toBe(0);
    expect((await release(0)).data).toBe(1);
    expect((await deliveriesOf(project.db, orphan.delivery.message_id))[0]).toMatchObject({
      status: "queued",
      attempts: 1,
      claimed_by: null,
    });
    // No attempts left: the watchdog fails it with a reason instead.
    expect((await deliveriesOf(project.db, exhausted.delivery.message_id))[0]).toMatchObject({
      status: "delivered",
      claimed_by: "exec-orphans",
    });
    await project.db.rpc("fail_chat_delivery", { p_delivery_id: exhausted.id, p_executor_id: "exec-orphans", p_error: "test" });
    expect((await deliveriesOf(project.db, running.delivery.message_id))[0]).toMatchObject({
      status: "delivered",
      claimed_by: "exec-orphans",
    });
    await saveOne("exec-orphans", running.id, "Done.");
  });

  it("lets the worker pick up a delivery whose claim answer it never got", async () => {
    const lost = await sendAndClaim("DM:lead", "Lost in transit", "exec-worker-orphans");
    const answered: string[] = [];
    const worker = createDeliveryWorker({
      db: project.db,
      executorId: "exec-worker-orphans",
      concurrency: 2,
      pollIntervalMs: 60_000,
      historyLimit: 5,
      // Long enough that the worker's own claim of the handed-back delivery is answered before it could count as orphaned.
      orphans: { afterMs: 1_000, checkEveryMs: 50 },
      log,
      process: async ({ delivery }) => {
        answered.push(delivery.message_id);
        return { kind: "reply", reply: { deliveryId: delivery.id, reply: "Found it.", metadata: {} }, finish: async () => "replied" };
      },
    });
    worker.start();
    try {
      // The row, not the call to process: the reply is saved after process returned it.
      const delivery = await waitFor(
        "the orphaned delivery to be processed",
        async () => {
          const [row] = await deliveriesOf(project.db, lost.delivery.message_id);
          return row?.status === "processed" ? row : undefined;
        },
        10_000,
      );
      expect(answered).toContain(lost.delivery.message_id);
      expect(delivery).toMatchObject({ status: "processed", attempts: 2, claimed_by: "exec-worker-orphans" });
      expect((await repliesTo(project.db, lost.delivery.message_id)).map((r) => r.content)).toEqual(["Found it."]);
    } finally {
      await worker.stop({ timeoutMs: 1_000 });
    }
  });
});
