import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, insertProposal, type TProjectFixture } from "../../testing/project-fixture.ts";
import { fieldsFor, PROPOSAL_STATUSES, proposalIn, snapshotProposal, type TProposalStatus } from "../../testing/proposal-states.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
const inState = new Map<TProposalStatus, string>();

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("transitions");
  for (const status of PROPOSAL_STATUSES) inState.set(status, await proposalIn(sql, f, status));
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

function idIn(status: TProposalStatus): string {
  const id = inState.get(status);
  if (!id) throw new Error(`no proposal in ${status}`);
  return id;
}

/** What the executor (service role) may do by a plain UPDATE; everything else needs the RPCs or is impossible. */
const SERVICE_ROLE_MAY = new Set(["approved->executing", "approved->failed", "executing->executed", "executing->failed"]);
const pairs = PROPOSAL_STATUSES.flatMap((from) => PROPOSAL_STATUSES.filter((to) => to !== from).map((to) => ({ from, to })));
const forbiddenForService = pairs.filter(({ from, to }) => !SERVICE_ROLE_MAY.has(`${from}->${to}`));

describe("the action proposal state machine", () => {
  it("starts every proposal of the fixture in the state it is named after", async () => {
    for (const status of PROPOSAL_STATUSES) expect((await snapshotProposal(sql, idIn(status)))?.status).toBe(status);
  });

  it.each(forbiddenForService)("refuses $from -> $to by the service role and leaves the row as it was", async ({ from, to }) => {
    const id = idIn(from);
    const before = await snapshotProposal(sql, id);
    const { data, error } = await serviceClient().from("action_proposals").update(fieldsFor(to)).eq("id", id).select("status");
    expect(data).toBeNull();
    expect(error?.code).toBe("23514");
    expect(await snapshotProposal(sql, id)).toEqual(before);
  });

  it.each(pairs)("refuses $from -> $to by an operator's direct update with 42501", async ({ from, to }) => {
    const id = idIn(from);
    const before = await snapshotProposal(sql, id);
    const { error } = await f.operator.client.from("action_proposals").update(fieldsFor(to)).eq("id", id);
    expect(error?.code).toBe("42501");
    expect(await snapshotProposal(sql, id)).toEqual(before);
  });

  it.each([
    { from: "proposed", to: "approved" },
    { from: "proposed", to: "executing" },
    { from: "approved", to: "executed" },
    { from: "rejected", to: "approved" },
    { from: "expired", to: "approved" },
    { from: "executed", to: "executing" },
    { from: "failed", to: "executing" },
  ] as const)("refuses $from -> $to even for the superuser", async ({ from, to }) => {
    const id = idIn(from);
    const before = await snapshotProposal(sql, id);
    const set = Object.entries(fieldsFor(to));
    await expect(
      sql.query(`update public.action_proposals set ${set.map(([k], i) => `${k} = $${i + 2}`).join(", ")} where id = $1`, [
        id,
        ...set.map(([, v]) => (typeof v === "object" && v !== null ? JSON.stringify(v) : v)),
      ]),
    ).rejects.toMatchObject({ code: "23514" });
    expect(await snapshotProposal(sql, id)).toEqual(before);
  });

  it("refuses to change params or the approved hash of an approved proposal, even for the superuser", async () => {
    const id = idIn("approved");
    const before = await snapshotProposal(sql, id);
    await expect(
      sql.query(`update public.action_proposals set params = '{"path": "../../etc/passwd", "content": "x"}' where id = $1`, [id]),
    ).rejects.toMatchObject({ code: "23514" });
    await expect(
      sql.query("update public.action_proposals set approved_params_hash = repeat('a', 64) where id = $1", [id]),
    ).rejects.toMatchObject({ code: "23514" });
    expect(await snapshotProposal(sql, id)).toEqual(before);
  });

  it("refuses a proposal inserted in any state but proposed", async () => {
    for (const status of PROPOSAL_STATUSES.filter((s) => s !== "proposed")) {
      await expect(insertProposal(sql, f.projectId, fieldsFor(status))).rejects.toMatchObject({ code: "23514" });
    }
    const { rows } = await sql.query("select count(*)::int as c from public.action_proposals where project_id = $1", [f.projectId]);
    expect(rows[0].c).toBe(PROPOSAL_STATUSES.length);
  });

  it("refuses operators an insert or delete of proposals: agents propose, history stays", async () => {
    const insert = await f.operator.client.from("action_proposals").insert({
      project_id: f.projectId,
      action_type: "create_task",
      params: { title: "self-approved" },
      risk: "low",
      reversibility: "reversible",
      proposed_by_agent_key: "builder",
    });
    expect(insert.error?.code).toBe("42501");
    const del = await f.owner.client.from("action_proposals").delete().eq("id", idIn("proposed"));
    expect(del.error?.code).toBe("42501");
    expect((await snapshotProposal(sql, idIn("proposed")))?.status).toBe("proposed");
  });

  it("refuses the executor RPCs to signed-in users, whatever their role", async () => {
    for (const [fn, args] of [
      ["claim_approved_proposals", { p_executor_id: "browser", p_proposal_id: idIn("approved") }],
      ["finish_action_proposal", { p_proposal_id: idIn("executing"), p_executor_id: "browser", p_ok: true }],
      ["fail_unknown_outcome_proposals", { p_stuck_after: "0 seconds" }],
      ["expire_action_proposals", {}],
    ] as const) {
      const { error } = await f.owner.client.rpc(fn, args);
      expect(error?.code, fn).toBe("42501");
    }
    expect((await snapshotProposal(sql, idIn("approved")))?.status).toBe("approved");
    expect((await snapshotProposal(sql, idIn("executing")))?.status).toBe("executing");
  });
});
