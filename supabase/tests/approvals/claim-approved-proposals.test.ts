import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import { proposalIn, snapshotProposal } from "../../testing/proposal-states.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("claim");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

interface TClaimed {
  id: string;
  status: string;
  claimed_by: string;
}

async function claim(executorId: string, proposalId: string): Promise<TClaimed[]> {
  const { data, error } = await serviceClient().rpc("claim_approved_proposals", {
    p_executor_id: executorId,
    p_limit: 10,
    p_proposal_id: proposalId,
  });
  if (error) throw new Error(error.message);
  return data as TClaimed[];
}

async function errorOf(id: string): Promise<string | null> {
  const { rows } = await sql.query<{ error: string | null }>("select error from public.action_proposals where id = $1", [id]);
  return rows[0]?.error ?? null;
}

describe("claim_approved_proposals", () => {
  it("gives an approved proposal to exactly one of 12 executors claiming at once", async () => {
    const id = await proposalIn(sql, f, "approved");
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => claim(`executor-${i}`, id)));
    const winners = results.flat();
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ id, status: "executing" });
    expect(await snapshotProposal(sql, id)).toMatchObject({ status: "executing", claimed_by: winners[0]?.claimed_by });
    expect(await claim("late-executor", id)).toEqual([]);
  });

  it("hands each of 20 approved proposals to exactly one of two executors racing for all of them", async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => proposalIn(sql, f, "approved")));
    const rounds = await Promise.all(ids.flatMap((id) => ["left", "right"].map((executor) => claim(executor, id))));
    const claimed = rounds.flat().map((r) => r.id);
    expect(claimed.sort()).toEqual([...ids].sort());
    const { rows } = await sql.query<{ c: number }>(
      "select count(*)::int as c from public.action_proposals where id = any($1::uuid[]) and status = 'executing' and claimed_by in ('left', 'right')",
      [ids],
    );
    expect(rows[0]?.c).toBe(20);
  });

  it("fails, and never claims, an approved proposal whose params the superuser changed behind the triggers' back", async () => {
    const taskId = await insertTask(sql, f.projectId);
    const id = await proposalIn(sql, f, "approved", { task_id: taskId });
    const client = await sql.connect();
    try {
      await client.query("begin");
      await client.query("set local session_replication_role = replica");
      await client.query(
        `update public.action_proposals set params = '{"path": "../../.ssh/authorized_keys", "content": "evil"}' where id = $1`,
        [id],
      );
      await client.query("commit");
    } finally {
      client.release();
    }
    expect(await claim("executor-a", id)).toEqual([]);
    expect((await snapshotProposal(sql, id))?.status).toBe("failed");
    expect(await errorOf(id)).toBe("params changed after approval");
    const { rows } = await sql.query(
      "select metadata ->> 'error' as error from public.task_events where proposal_id = $1 and kind = 'approval_resolved' order by seq",
      [id],
    );
    expect(rows.map((r) => r.error)).toEqual([null, "params changed after approval"]);
  });

  it("fails a proposal whose params and stored hash were both rewritten after approval", async () => {
    const id = await proposalIn(sql, f, "approved");
    const client = await sql.connect();
    try {
      await client.query("begin");
      await client.query("set local session_replication_role = replica");
      await client.query(
        `update public.action_proposals set params = '{"path": "x", "content": "y"}', params_hash = public.action_params_hash('{"path": "x", "content": "y"}') where id = $1`,
        [id],
      );
      await client.query("commit");
    } finally {
      client.release();
    }
    expect(await claim("executor-a", id)).toEqual([]);
    expect(await errorOf(id)).toBe("params changed after approval");
  });

  it("fails instead of claiming when the approver is no longer an operator", async () => {
    const demoted = await createProjectFixture("claim-demoted");
    try {
      const id = await proposalIn(sql, demoted, "approved");
      await sql.query("update public.project_members set role = 'viewer' where project_id = $1 and user_id = $2", [
        demoted.projectId,
        demoted.operator.userId,
      ]);
      expect(await claim("executor-a", id)).toEqual([]);
      expect(await errorOf(id)).toBe("approver is no longer an operator or owner of the project");
    } finally {
      await dropProjectFixture(demoted);
    }
  });

  it("never claims a proposed, rejected, expired, executing, executed or failed proposal", async () => {
    for (const status of ["proposed", "rejected", "expired", "executing", "executed", "failed"] as const) {
      const id = await proposalIn(sql, f, status);
      const before = await snapshotProposal(sql, id);
      expect(await claim("executor-b", id), status).toEqual([]);
      expect(await snapshotProposal(sql, id), status).toEqual(before);
    }
  });
});

describe("finish_action_proposal", () => {
  it("lets only the claiming executor finish, once, and repeats the recorded outcome on a retry", async () => {
    const id = await proposalIn(sql, f, "approved");
    const [claimed] = await claim("owner-of-claim", id);
    expect(claimed?.claimed_by).toBe("owner-of-claim");
    const other = await serviceClient().rpc("finish_action_proposal", { p_proposal_id: id, p_executor_id: "someone-else", p_ok: true });
    expect(other.error?.code).toBe("PT409");
    expect((await snapshotProposal(sql, id))?.status).toBe("executing");
    const done = await serviceClient().rpc("finish_action_proposal", {
      p_proposal_id: id,
      p_executor_id: "owner-of-claim",
      p_ok: true,
      p_result: { bytes: 12 },
    });
    expect(done.error).toBeNull();
    expect(done.data).toMatchObject({ status: "executed", execution_result: { bytes: 12 } });
    const seq = (await snapshotProposal(sql, id))?.seq;
    const retry = await serviceClient().rpc("finish_action_proposal", {
      p_proposal_id: id,
      p_executor_id: "owner-of-claim",
      p_ok: true,
      p_result: { bytes: 12 },
    });
    expect(retry.data).toMatchObject({ status: "executed" });
    expect((await snapshotProposal(sql, id))?.seq).toBe(seq);
    const flip = await serviceClient().rpc("finish_action_proposal", {
      p_proposal_id: id,
      p_executor_id: "owner-of-claim",
      p_ok: false,
      p_error: "oops",
    });
    expect(flip.error?.code).toBe("PT409");
    expect((await snapshotProposal(sql, id))?.status).toBe("executed");
  });

  it("refuses to finish a proposal that was never claimed", async () => {
    const id = await proposalIn(sql, f, "approved");
    const { error } = await serviceClient().rpc("finish_action_proposal", { p_proposal_id: id, p_executor_id: "x", p_ok: true });
    expect(error?.code).toBe("PT409");
    expect((await snapshotProposal(sql, id))?.status).toBe("approved");
  });
});

describe("fail_unknown_outcome_proposals", () => {
  it("fails a proposal stuck in executing as outcome unknown, and the late finish and any new claim are refused", async () => {
    // An api_call cannot check its effect: it is failed (checkable actions are reconciled, see
    // reconcile-unknown-outcome.test.ts).
    const apiCall = { action_type: "api_call", params: { method: "POST", url: "https://example.com/deploy" } };
    const id = await proposalIn(sql, f, "executing", apiCall);
    const fresh = await proposalIn(sql, f, "executing", apiCall);
    const client = await sql.connect();
    try {
      await client.query("begin");
      await client.query("set local session_replication_role = replica");
      await client.query("update public.action_proposals set execution_started_at = now() - interval '10 minutes' where id = $1", [id]);
      await client.query("commit");
    } finally {
      client.release();
    }
    const { data, error } = await serviceClient().rpc("fail_unknown_outcome_proposals", { p_stuck_after: "2 minutes" });
    expect(error).toBeNull();
    expect((data as TClaimed[]).map((r) => r.id)).toContain(id);
    expect((data as TClaimed[]).map((r) => r.id)).not.toContain(fresh);
    expect(await snapshotProposal(sql, id)).toMatchObject({ status: "failed" });
    expect(await errorOf(id)).toBe("outcome unknown: check before retrying");
    expect((await snapshotProposal(sql, fresh))?.status).toBe("executing");
    const late = await serviceClient().rpc("finish_action_proposal", {
      p_proposal_id: id,
      p_executor_id: `executor-${id.slice(0, 8)}`,
      p_ok: true,
    });
    expect(late.error?.code).toBe("PT409");
    expect(await claim("executor-c", id)).toEqual([]);
    expect((await snapshotProposal(sql, id))?.status).toBe("failed");
  });
});
