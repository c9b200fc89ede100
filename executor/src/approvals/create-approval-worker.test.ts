import pino from "pino";
import { describe, expect, it } from "vitest";
import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { fakeRpcAnswer } from "../testing/fake-rpc-answer.ts";
import { waitFor } from "../testing/wait-for.ts";
import { createApprovalWorker } from "./create-approval-worker.ts";
import type { TApprovalOutcome } from "./execute-proposal.ts";

const log = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Approved proposals in memory behind claim_approved_proposals (the integration tests use the real
 * RPC); nothing is ever due for reconciliation (reconcile-after-crash.test.ts covers that).
 */
function memoryApprovals(size: number, options: { failClaims?: number } = {}) {
  const approved = Array.from({ length: size }, (_, i) => ({ id: `p${i}`, project_id: "x", status: "approved" }) as TProposalRow);
  const calls = { claims: 0 };
  const db = {
    rpc: (name: string, args: { p_limit?: number; p_proposal_id?: string }) => fakeRpcAnswer(answer(name, args)),
  } as unknown as TDb;
  async function answer(name: string, args: { p_limit?: number; p_proposal_id?: string }) {
    if (name === "claim_proposals_to_reconcile") return { data: [], error: null };
    if (name !== "claim_approved_proposals") throw new Error(`unexpected rpc ${name}`);
    calls.claims += 1;
    if (calls.claims <= (options.failClaims ?? 0)) return { data: null, error: { message: "fetch failed" } };
    if (args.p_proposal_id) {
      const index = approved.findIndex((p) => p.id === args.p_proposal_id);
      return { data: index === -1 ? [] : approved.splice(index, 1).map((p) => ({ ...p, status: "executing" })), error: null };
    }
    return { data: approved.splice(0, args.p_limit ?? 1).map((p) => ({ ...p, status: "executing" })), error: null };
  }
  return { db, approved, calls };
}

describe("createApprovalWorker", () => {
  it("never runs more actions at once than its concurrency, and runs each claimed proposal once", async () => {
    const { db, approved } = memoryApprovals(12);
    const ran: string[] = [];
    let running = 0;
    let peak = 0;
    const worker = createApprovalWorker({
      db,
      executorId: "x",
      concurrency: 2,
      pollIntervalMs: 1_000,
      projectIds: [],
      log,
      execute: async (proposal): Promise<TApprovalOutcome> => {
        running += 1;
        peak = Math.max(peak, running);
        ran.push(proposal.id);
        await sleep(5);
        running -= 1;
        return "executed";
      },
    });
    worker.start();
    await waitFor("every approval to run", () => approved.length === 0 && worker.inFlight === 0);
    expect(peak).toBe(2);
    expect([...ran].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `p${i}`).sort());
    expect(await worker.stop({ timeoutMs: 1_000 })).toEqual({ executed: 12, failed: 0, interrupted: 0 });
    expect(worker.state).toBe("stopped");
  });

  it("backs off after a failed claim and keeps going", async () => {
    const { db, approved, calls } = memoryApprovals(1, { failClaims: 2 });
    const worker = createApprovalWorker({
      db,
      executorId: "x",
      concurrency: 1,
      pollIntervalMs: 10,
      projectIds: [],
      log,
      execute: async () => "executed",
    });
    worker.start();
    await waitFor("every approval to be claimed", () => approved.length === 0);
    expect(calls.claims).toBeGreaterThanOrEqual(3);
    await worker.stop({ timeoutMs: 100 });
  });

  it("claims one proposal on request, and nothing once stopped", async () => {
    const { db, approved, calls } = memoryApprovals(0);
    const ran: string[] = [];
    const worker = createApprovalWorker({
      db,
      executorId: "x",
      concurrency: 1,
      pollIntervalMs: 60_000,
      projectIds: [],
      log,
      execute: async (proposal) => {
        ran.push(proposal.id);
        return "executed";
      },
    });
    worker.start();
    // The loop's first claim, not a pause: it must have looked (and found nothing) before these are approved.
    await waitFor("the first claim", () => calls.claims > 0);
    // Approved after the loop looked: only the request picks them up before the next poll.
    approved.push({ id: "p1", status: "approved" } as TProposalRow, { id: "p2", status: "approved" } as TProposalRow);
    expect(await worker.claimProposal("p2")).toMatchObject({ id: "p2", status: "executing" });
    expect(await worker.claimProposal("p2")).toBeNull();
    await worker.idle();
    expect(ran).toEqual(["p2"]);
    await worker.stop({ timeoutMs: 100 });
    expect(await worker.claimProposal("p1")).toBeNull();
  });

  it("interrupts an action still running at the shutdown deadline through its signal", async () => {
    const { db } = memoryApprovals(1);
    let sawAbort = false;
    const worker = createApprovalWorker({
      db,
      executorId: "x",
      concurrency: 1,
      pollIntervalMs: 60_000,
      projectIds: [],
      log,
      execute: (_proposal, signal) =>
        new Promise<TApprovalOutcome>((resolve) => {
          signal.addEventListener("abort", () => {
            sawAbort = true;
            resolve("failed");
          });
        }),
    });
    worker.start();
    await waitFor("the action to start", () => worker.inFlight > 0);
    const report = await worker.stop({ timeoutMs: 50 });
    expect(sawAbort).toBe(true);
    expect(report).toEqual({ executed: 0, failed: 1, interrupted: 1 });
  });
});
