import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { changesetFile, proposeTestChangeset, runInStatus, setRunSettings, snapshotRun } from "../../testing/run-fixtures.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("cancel-races");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

/** A connection in an open transaction acting as the fixture's operator, as the REST gateway does for a signed-in request. */
async function asOperator(): Promise<pg.PoolClient> {
  const client = await sql.connect();
  await client.query("begin");
  await client.query("set local role authenticated");
  await client.query("select set_config('request.jwt.claims', $1, true)", [
    JSON.stringify({ sub: f.operator.userId, role: "authenticated" }),
  ]);
  return client;
}

async function proposed(): Promise<{ runId: string; changesetId: string; proposalId: string }> {
  const executor = `exec-${crypto.randomUUID().slice(0, 6)}`;
  const runId = await runInStatus(sql, f.projectId, "running", { mode: "implement" }, executor);
  const ids = await proposeTestChangeset(sql, executor, runId, [changesetFile("race.txt", null, "race")]);
  return { runId, changesetId: ids.changeset_id, proposalId: ids.proposal_id };
}

async function outcome(ids: { runId: string; changesetId: string; proposalId: string }) {
  const { rows } = await sql.query(
    `select (select status from public.ai_runs where id = $1) as run,
            (select status from public.changesets where id = $2) as changeset,
            (select status from public.action_proposals where id = $3) as proposal`,
    [ids.runId, ids.changesetId, ids.proposalId],
  );
  return rows[0];
}

describe("cancelling a run while its changeset is being approved", () => {
  it("waits for an approval in flight, then withdraws it: nothing of the run is applied", async () => {
    const ids = await proposed();
    const approver = await asOperator();
    const canceller = await asOperator();
    try {
      await approver.query("select public.resolve_action_proposal($1, 'approve')", [ids.proposalId]);
      const cancel = canceller.query("select (public.cancel_ai_run($1)).status", [ids.runId]);
      // The cancel is waiting for the approval's locks; it goes on once the approval commits.
      await approver.query("commit");
      expect((await cancel).rows[0]?.status).toBe("cancelled");
      await canceller.query("commit");
    } finally {
      approver.release();
      canceller.release();
    }
    expect(await outcome(ids)).toEqual({ run: "cancelled", changeset: "expired", proposal: "failed" });
    const { rows } = await sql.query("select error from public.action_proposals where id = $1", [ids.proposalId]);
    expect(rows[0]?.error).toBe("withdrawn: its run was cancelled before it ran");
    const claimed = await sql.query("select id from public.claim_approved_proposals('exec-late', 1, $1)", [ids.proposalId]);
    expect(claimed.rows).toEqual([]);
  });

  it("makes an approval that waited for a cancel find the proposal withdrawn", async () => {
    const ids = await proposed();
    const canceller = await asOperator();
    const approver = await asOperator();
    try {
      await canceller.query("select public.cancel_ai_run($1)", [ids.runId]);
      const approve = approver.query("select (public.resolve_action_proposal($1, 'approve')).status", [ids.proposalId]);
      await canceller.query("commit");
      expect((await approve).rows[0]?.status).toBe("expired");
      await approver.query("commit");
    } finally {
      canceller.release();
      approver.release();
    }
    expect(await outcome(ids)).toEqual({ run: "cancelled", changeset: "expired", proposal: "expired" });
  });

  it("lets a changeset the executor is already applying finish, and records it applied on the cancelled run", async () => {
    await setRunSettings(sql, f.projectId, { test_command: "npm test" });
    const ids = await proposed();
    const resolve = await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: ids.proposalId, p_decision: "approve" });
    expect(resolve.error).toBeNull();
    await sql.query("select public.claim_approved_proposals('exec-apply', 1, $1)", [ids.proposalId]);
    const { error } = await f.operator.client.rpc("cancel_ai_run", { p_run_id: ids.runId });
    expect(error).toBeNull();
    expect(await outcome(ids)).toEqual({ run: "cancelled", changeset: "proposed", proposal: "executing" });
    await sql.query(`select public.finish_action_proposal($1, 'exec-apply', true, '{"paths": ["race.txt"]}')`, [ids.proposalId]);
    expect(await outcome(ids)).toEqual({ run: "cancelled", changeset: "applied", proposal: "executed" });
    const { rows } = await sql.query("select count(*)::int as c from public.ai_runs where parent_run_id = $1", [ids.runId]);
    expect(rows[0]?.c, "no test run for a cancelled run").toBe(0);
    expect((await snapshotRun(sql, ids.runId))?.status).toBe("cancelled");
    await setRunSettings(sql, f.projectId, {});
  });
});
