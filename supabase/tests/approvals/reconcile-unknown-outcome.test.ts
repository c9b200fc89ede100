import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { proposalIn, snapshotProposal } from "../../testing/proposal-states.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

// Proposals stuck mid-action whose action can check its effect are handed to reconciliation
// instead of failing "outcome unknown"; one reconciler claims each, the original claimant's late
// finish is refused, and every decision leaves an activity.

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("reconcile");
});
afterAll(async () => {
  await sql.query("delete from public.executor_presence where id like 'reconcile-test-%'");
  await dropProjectFixture(f);
  await sql.end();
});

/** Makes an executing proposal look started `minutes` ago (behind the triggers' back). */
async function age(id: string, minutes: number) {
  const client = await sql.connect();
  try {
    await client.query("begin");
    await client.query("set local session_replication_role = replica");
    await client.query(`update public.action_proposals set execution_started_at = now() - make_interval(mins => $2) where id = $1`, [
      id,
      minutes,
    ]);
    await client.query(
      "update public.action_proposal_checkpoints set reconcile_claimed_at = now() - make_interval(mins => $2) where proposal_id = $1",
      [id, minutes],
    );
    await client.query("commit");
  } finally {
    client.release();
  }
}

async function checkpoint(id: string) {
  const { rows } = await sql.query("select * from public.action_proposal_checkpoints where proposal_id = $1", [id]);
  return rows[0];
}

async function reconcileClaim(executorId: string): Promise<string[]> {
  const { data, error } = await serviceClient().rpc("claim_proposals_to_reconcile", {
    p_executor_id: executorId,
    p_limit: 10,
    p_project_ids: [f.projectId],
  });
  if (error) throw new Error(error.message);
  return (data as { id: string }[]).map((r) => r.id);
}

describe("reconciling proposals stuck mid-action", () => {
  it("hands a stuck file_write to exactly one reconciler, refuses the late original finish, and records the decision once", async () => {
    const id = await proposalIn(sql, f, "executing");
    const original = `executor-${id.slice(0, 8)}`;
    const intent = await serviceClient().rpc("record_action_intent", {
      p_proposal_id: id,
      p_executor_id: original,
      p_intent: { kind: "file_write", before_sha256: null },
    });
    expect(intent.data).toBe(true);
    await age(id, 10);
    const { data: failed, error } = await serviceClient().rpc("fail_unknown_outcome_proposals", { p_stuck_after: "2 minutes" });
    expect(error).toBeNull();
    expect((failed as { id: string }[]).map((r) => r.id)).not.toContain(id);
    expect(await snapshotProposal(sql, id)).toMatchObject({ status: "executing" });
    expect(await checkpoint(id)).toMatchObject({ reconcile_due_at: expect.any(Date), intent: { kind: "file_write", before_sha256: null } });

    // The original claimant wakes up late: it may neither record its intent again nor finish.
    const lateIntent = await serviceClient().rpc("record_action_intent", { p_proposal_id: id, p_executor_id: original, p_intent: {} });
    expect(lateIntent.data).toBe(false);
    const late = await serviceClient().rpc("finish_action_proposal", { p_proposal_id: id, p_executor_id: original, p_ok: true });
    expect(late.error?.code).toBe("PT409");

    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => reconcileClaim(`reconciler-${i}`)));
    const winners = claims.map((c, i) => (c.includes(id) ? i : -1)).filter((i) => i >= 0);
    expect(winners).toHaveLength(1);
    const winner = `reconciler-${winners[0]}`;
    expect(await checkpoint(id)).toMatchObject({ reconciled_by: winner, reconcile_count: 1, reconcile_due_at: null });

    // The one retry is stamped for the winner only, and only once.
    const retry = (executor: string) =>
      serviceClient().rpc("record_action_intent", {
        p_proposal_id: id,
        p_executor_id: executor,
        p_intent: { kind: "file_write" },
        p_retry: true,
      });
    expect((await retry(`reconciler-${(winners[0] ?? 0) + 1}`)).data).toBe(false);
    expect((await retry(winner)).data).toBe(true);
    expect((await retry(winner)).data).toBe(false);

    const finish = (executor: string) =>
      serviceClient().rpc("finish_reconciled_proposal", {
        p_proposal_id: id,
        p_executor_id: executor,
        p_ok: true,
        p_decision: "It did not happen, so it ran again once: executed.",
        p_result: { path: "notes/plan.md" },
      });
    expect((await finish("someone-else")).error?.code).toBe("PT409");
    const first = await finish(winner);
    expect(first.error).toBeNull();
    expect((await finish(winner)).error).toBeNull();
    expect(await snapshotProposal(sql, id)).toMatchObject({ status: "executed", claimed_by: original });
    const { rows: activities } = await sql.query(
      "select summary, ref from public.activities where kind = 'approval.reconciled' and ref->>'proposal_id' = $1",
      [id],
    );
    expect(activities).toEqual([
      {
        summary: "Reconciled file_write after a crash: It did not happen, so it ran again once: executed.",
        ref: expect.objectContaining({ status: "executed", claimed_by: original, reconciled_by: winner, retried: true }),
      },
    ]);
    const missing = await serviceClient().rpc("finish_reconciled_proposal", {
      p_proposal_id: crypto.randomUUID(),
      p_executor_id: winner,
      p_ok: true,
      p_decision: "x",
    });
    expect(missing.error?.code).toBe("PT404");
  });

  it("fails as outcome unknown once reconciling it was interrupted twice", async () => {
    const id = await proposalIn(sql, f, "executing");
    for (let round = 0; round < 2; round++) {
      await age(id, 10);
      await serviceClient().rpc("fail_unknown_outcome_proposals", { p_stuck_after: "2 minutes" });
      expect((await snapshotProposal(sql, id))?.status).toBe("executing");
      expect(await reconcileClaim(`crashing-reconciler-${round}`)).toContain(id);
    }
    await age(id, 10);
    const { data } = await serviceClient().rpc("fail_unknown_outcome_proposals", { p_stuck_after: "2 minutes" });
    expect((data as { id: string }[]).map((r) => r.id)).toContain(id);
    expect(await snapshotProposal(sql, id)).toMatchObject({ status: "failed" });
    const { rows } = await sql.query("select error from public.action_proposals where id = $1", [id]);
    expect(rows[0]?.error).toBe("outcome unknown: reconciling it failed 2 times; check before retrying");
  });

  it("hands a dead executor's checkable proposals to reconciliation at once and fails its api_calls as outcome unknown", async () => {
    const write = await proposalIn(sql, f, "executing");
    const call = await proposalIn(sql, f, "executing", {
      action_type: "api_call",
      params: { method: "POST", url: "https://example.com/x" },
    });
    const alive = await proposalIn(sql, f, "executing");
    const dead = "reconcile-test-dead";
    // proposalIn claims as executor-<id prefix>: move both to one executor that then stopped.
    const client = await sql.connect();
    try {
      await client.query("begin");
      await client.query("set local session_replication_role = replica");
      await client.query("update public.action_proposals set claimed_by = $2 where id = any($1)", [[write, call], dead]);
      await client.query("update public.action_proposals set claimed_by = 'reconcile-test-alive' where id = $1", [alive]);
      await client.query("commit");
    } finally {
      client.release();
    }
    await sql.query(
      "insert into public.executor_presence (id, version, stopped_at) values ($1, 'test', now()), ('reconcile-test-alive', 'test', null)",
      [dead],
    );
    const bad = await serviceClient().rpc("request_reconcile_of_dead_executors", { p_dead_after: "0 seconds" });
    expect(bad.error?.code).toBe("22023");
    const { data, error } = await serviceClient().rpc("request_reconcile_of_dead_executors", { p_dead_after: "30 seconds" });
    expect(error).toBeNull();
    expect((data as { id: string }[]).map((r) => r.id)).toEqual([call]);
    expect(await snapshotProposal(sql, call)).toMatchObject({ status: "failed" });
    expect(await snapshotProposal(sql, write)).toMatchObject({ status: "executing" });
    expect(await checkpoint(write)).toMatchObject({ reconcile_due_at: expect.any(Date), reconcile_reason: "its executor died mid-action" });
    expect(await checkpoint(alive)).toBeUndefined();
  });
});
