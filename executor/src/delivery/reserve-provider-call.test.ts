import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import type { TDb } from "../db/executor-client.ts";
import { createCallReserver, type TProviderCallPlan } from "./reserve-provider-call.ts";

function plan(id: string): TProviderCallPlan {
  return {
    id,
    project_id: "p",
    agent_id: "a",
    agent_key: "lead",
    delivery_id: `d-${id}`,
    provider: "builtin",
    connection_id: null,
    model: "builtin-offline",
    reserved_tokens: 100,
    settings: { values: {} as never, sources: {} as never },
  };
}

/** A database whose reserve_provider_calls answers with `answer(ids)` once `release()` is called for that batch. */
function fakeDb(answer: (ids: string[]) => { data: unknown; error: unknown }) {
  const batches: string[][] = [];
  const releases: (() => void)[] = [];
  const db = {
    rpc: (name: string, args: { p_calls: TProviderCallPlan[] }) => {
      expect(name).toBe("reserve_provider_calls");
      const ids = args.p_calls.map((p) => p.id);
      batches.push(ids);
      return new Promise((resolve) => releases.push(() => resolve(answer(ids))));
    },
  } as unknown as TDb;
  return { db, batches, release: () => releases.shift()?.() };
}

const okAll = (ids: string[]) => ({ data: ids.map(() => ({ ok: true, outcome: "pending", reason: null })), error: null });

describe("createCallReserver", () => {
  it("sends the reservations asked for on the same turn in one call, and the ones asked meanwhile in the next", async () => {
    const fake = fakeDb(okAll);
    const reserver = createCallReserver(fake.db);
    const first = [reserver.reserve(plan("1")), reserver.reserve(plan("2")), reserver.reserve(plan("3"))];
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.batches).toEqual([["1", "2", "3"]]);
    const later = [reserver.reserve(plan("4")), reserver.reserve(plan("5"))];
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.batches).toHaveLength(1);
    fake.release();
    await Promise.all(first);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.batches).toEqual([
      ["1", "2", "3"],
      ["4", "5"],
    ]);
    fake.release();
    await Promise.all(later);
  });

  it("refuses only the calls the database refused, with its sentence as a budget_exceeded error", async () => {
    const fake = fakeDb((ids) => ({
      data: ids.map((id) =>
        id === "2"
          ? { ok: false, outcome: "budget_exceeded", reason: "Budget exceeded: project daily token budget 10" }
          : { ok: true, outcome: "pending", reason: null },
      ),
      error: null,
    }));
    const reserver = createCallReserver(fake.db);
    const results = [reserver.reserve(plan("1")), reserver.reserve(plan("2"))];
    await new Promise((resolve) => setImmediate(resolve));
    fake.release();
    await expect(results[0]).resolves.toBeUndefined();
    await expect(results[1]).rejects.toMatchObject({ code: "budget_exceeded", message: "Budget exceeded: project daily token budget 10" });
  });

  it("fails every call of a batch the database could not answer, as unreachable, so the deliveries are retried", async () => {
    const fake = fakeDb(() => ({ data: null, error: { message: "connect ECONNREFUSED", code: "" } }));
    const reserver = createCallReserver(fake.db);
    const results = [reserver.reserve(plan("1")), reserver.reserve(plan("2"))];
    await new Promise((resolve) => setImmediate(resolve));
    fake.release();
    for (const result of results) {
      const err = await result.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("database_unreachable");
    }
  });
});
