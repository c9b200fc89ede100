import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollVerifiedTotp } from "../../testing/mfa-fixtures.ts";
import { createProjectFixture, dropProjectFixture, insertProposal, type TProjectFixture } from "../../testing/project-fixture.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

async function setStepUp(on: boolean | null) {
  if (on === null) await sql.query("delete from public.project_settings where project_id = $1 and key = 'approvals'", [f.projectId]);
  else {
    await sql.query(
      `insert into public.project_settings (project_id, key, value) values ($1, 'approvals', $2)
       on conflict (project_id, key) do update set value = excluded.value`,
      [f.projectId, JSON.stringify({ require_second_factor_for_high_risk: on })],
    );
  }
}

async function statusOf(id: string) {
  return (await sql.query<{ status: string }>("select status from public.action_proposals where id = $1", [id])).rows[0]?.status;
}

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("stepup");
  // The owner verifies a TOTP code (its session is aal2); the operator stays at aal1.
  await enrollVerifiedTotp(f.owner.client);
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

type TCase = {
  risk: "low" | "medium" | "high";
  decision: "approve" | "reject";
  who: "operator (aal1)" | "owner (aal2)";
  setting: boolean | null;
  refused: boolean;
};
const cases: TCase[] = [
  { risk: "high", decision: "approve", who: "operator (aal1)", setting: true, refused: true },
  { risk: "high", decision: "approve", who: "owner (aal2)", setting: true, refused: false },
  { risk: "high", decision: "reject", who: "operator (aal1)", setting: true, refused: false },
  { risk: "medium", decision: "approve", who: "operator (aal1)", setting: true, refused: false },
  { risk: "low", decision: "approve", who: "operator (aal1)", setting: true, refused: false },
  { risk: "high", decision: "approve", who: "operator (aal1)", setting: false, refused: false },
  { risk: "high", decision: "approve", who: "operator (aal1)", setting: null, refused: false },
];

describe("step-up approvals: resolve_action_proposal and project_settings.approvals", () => {
  it.each(cases)("$decision of a $risk-risk proposal by the $who with the setting $setting: refused=$refused", async (c) => {
    await setStepUp(c.setting);
    const id = await insertProposal(sql, f.projectId, { risk: c.risk });
    const client = c.who === "owner (aal2)" ? f.owner.client : f.operator.client;
    const { data, error } = await client.rpc("resolve_action_proposal", {
      p_proposal_id: id,
      p_decision: c.decision,
      ...(c.decision === "reject" ? { p_comment: "Not now" } : {}),
    });
    if (c.refused) {
      expect(data).toBeNull();
      expect(error?.code).toBe("42501");
      expect(error?.message).toContain("verify your second factor to approve high-risk actions");
      expect(await statusOf(id)).toBe("proposed");
    } else {
      expect(error).toBeNull();
      expect(await statusOf(id)).toBe(c.decision === "approve" ? "approved" : "rejected");
    }
  });

  it("answers the refusal over HTTP with 403", async () => {
    await setStepUp(true);
    const id = await insertProposal(sql, f.projectId, { risk: "high" });
    const { status } = await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" });
    expect(status).toBe(403);
  });

  it("lets owners change the setting, and refuses operators, viewers and bad shapes", async () => {
    await setStepUp(null);
    const write = (client: TProjectFixture["owner"]["client"], value: unknown) =>
      client.from("project_settings").upsert({ project_id: f.projectId, key: "approvals", value }).select("value");
    const byOperator = await write(f.operator.client, { require_second_factor_for_high_risk: false });
    expect(byOperator.error?.code).toBe("42501");
    const byViewer = await write(f.viewer.client, { require_second_factor_for_high_risk: false });
    expect(byViewer.error).not.toBeNull();
    const bad = await write(f.owner.client, { require_second_factor_for_high_risk: "yes" });
    expect(bad.error?.code).toBe("23514");
    const extra = await write(f.owner.client, { require_second_factor_for_high_risk: true, other: 1 });
    expect(extra.error?.code).toBe("23514");
    const byOwner = await write(f.owner.client, { require_second_factor_for_high_risk: true });
    expect(byOwner.error).toBeNull();
    expect(byOwner.data).toEqual([{ value: { require_second_factor_for_high_risk: true } }]);
    const offByOperator = await f.operator.client.from("project_settings").delete().eq("project_id", f.projectId).eq("key", "approvals");
    // No member may delete settings (there is no delete policy): the delete finds no row, and the setting stays.
    expect(offByOperator.error).toBeNull();
    const still = await sql.query("select value from public.project_settings where project_id = $1 and key = 'approvals'", [f.projectId]);
    expect(still.rows[0]?.value).toEqual({ require_second_factor_for_high_risk: true });
  });

  it("tells members, and only members, whether the project asks for a second factor", async () => {
    await setStepUp(true);
    const { data } = await f.viewer.client.rpc("approval_requires_second_factor", { p_project_id: f.projectId });
    expect(data).toBe(true);
    const outsider = await f.outsider.client.rpc("approval_requires_second_factor", { p_project_id: f.projectId });
    expect(outsider.data).toBe(false);
  });
});
