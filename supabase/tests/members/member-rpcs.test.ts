import crypto from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { anonClient, serviceClient, signedInClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("member-rpcs");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

type TActor = "anon" | "viewer" | "operator" | "owner" | "outsider";
const ACTORS: TActor[] = ["anon", "viewer", "operator", "owner", "outsider"];

function clientOf(who: TActor): SupabaseClient {
  return who === "anon" ? anonClient() : f[who].client;
}

/** Calls an RPC and keeps what a caller sees: the HTTP status, the SQLSTATE and the message. */
async function call(client: SupabaseClient, fn: string, args: Record<string, unknown> = {}) {
  const { data, error, status } = await client.rpc(fn, args);
  return { data, status, code: error?.code ?? null, message: error?.message ?? "" };
}

const email = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;

/**
 * Inserts an invite as the superuser. It is due only tomorrow, so an executor running at the same
 * time (one spawned by another test file serves every project) never mails it under the test.
 */
async function seedInvite(fields: { email?: string; role?: string; status?: string; projectId?: string } = {}): Promise<string> {
  const status = fields.status ?? "queued";
  const { rows } = await sql.query<{ id: string }>(
    `insert into public.project_invites (project_id, email, role, status, accepted_at, revoked_at, error, available_at)
     values ($1, $2, $3, $4, case when $4 = 'accepted' then now() end, case when $4 = 'revoked' then now() end,
             case when $4 = 'failed' then 'seeded failure' end, now() + interval '1 day')
     returning id`,
    [fields.projectId ?? f.projectId, fields.email ?? email("seeded"), fields.role ?? "viewer", status],
  );
  return rows[0]?.id ?? "";
}

async function inviteRow(id: string) {
  const { rows } = await sql.query("select * from public.project_invites where id = $1", [id]);
  return rows[0] as Record<string, unknown> | undefined;
}

async function roleOf(userId: string, projectId = f.projectId): Promise<string | null> {
  const { rows } = await sql.query<{ role: string }>("select role from public.project_members where project_id = $1 and user_id = $2", [
    projectId,
    userId,
  ]);
  return rows[0]?.role ?? null;
}

/** A new signed-in user added to the fixture's project with `role`. */
async function addMember(role: "owner" | "operator" | "viewer") {
  const user = await signedInClient(`member-rpcs-${role}`);
  await sql.query("insert into public.project_members (project_id, user_id, role) values ($1, $2, $3)", [f.projectId, user.userId, role]);
  return user;
}

const allowedStatus = (who: TActor, allowed: TActor[]) => (allowed.includes(who) ? 200 : who === "anon" ? 401 : 403);

describe("who may call the member RPCs", () => {
  it.each(ACTORS)("invite_project_member by %s", async (who) => {
    const address = email("invitee");
    const r = await call(clientOf(who), "invite_project_member", { p_project_id: f.projectId, p_email: address, p_role: "viewer" });
    expect(r.status).toBe(allowedStatus(who, ["owner"]));
    const { rows } = await sql.query("select role, invited_by from public.project_invites where email = $1", [address]);
    if (who === "owner") {
      expect(r.data).toMatchObject({ status: "queued", email: address });
      expect(rows).toEqual([{ role: "viewer", invited_by: f.owner.userId }]);
    } else {
      expect(rows).toEqual([]);
      expect(r.code).toBe("42501");
    }
  });

  it.each(ACTORS)("revoke_project_invite by %s", async (who) => {
    const id = await seedInvite();
    const r = await call(clientOf(who), "revoke_project_invite", { p_invite_id: id });
    expect(r.status).toBe(allowedStatus(who, ["owner"]));
    expect((await inviteRow(id))?.status).toBe(who === "owner" ? "revoked" : "queued");
  });

  it.each(ACTORS)("change_project_member_role by %s", async (who) => {
    const target = await addMember("viewer");
    const r = await call(clientOf(who), "change_project_member_role", {
      p_project_id: f.projectId,
      p_user_id: target.userId,
      p_role: "operator",
    });
    expect(r.status).toBe(allowedStatus(who, ["owner"]));
    expect(await roleOf(target.userId)).toBe(who === "owner" ? "operator" : "viewer");
  });

  it.each(ACTORS)("remove_project_member of another member by %s", async (who) => {
    const target = await addMember("viewer");
    const r = await call(clientOf(who), "remove_project_member", { p_project_id: f.projectId, p_user_id: target.userId });
    expect(r.code).toBe(who === "owner" ? null : "42501");
    expect(r.status).toBe(who === "owner" ? r.status : who === "anon" ? 401 : 403);
    expect(await roleOf(target.userId)).toBe(who === "owner" ? null : "viewer");
  });

  it.each(["viewer", "operator", "owner"] as const)("lets a %s leave (remove themselves)", async (role) => {
    const me = await addMember(role);
    const r = await call(me.client, "remove_project_member", { p_project_id: f.projectId, p_user_id: me.userId });
    expect(r.code).toBeNull();
    expect(await roleOf(me.userId)).toBeNull();
    const { rows } = await sql.query("select kind from public.activities where project_id = $1 and ref ->> 'user_id' = $2", [
      f.projectId,
      me.userId,
    ]);
    expect(rows).toEqual([{ kind: "member.left" }]);
  });

  it.each(ACTORS)("list_project_members by %s", async (who) => {
    const r = await call(clientOf(who), "list_project_members", { p_project_id: f.projectId });
    expect(r.status).toBe(allowedStatus(who, ["viewer", "operator", "owner"]));
    if (r.status !== 200) {
      expect(r.code).toBe("42501");
      return;
    }
    const members = r.data as Array<{ user_id: string; email: string; role: string; joined_at: string; last_sign_in_at: string | null }>;
    const { rows } = await sql.query<{ user_id: string; email: string; role: string }>(
      `select m.user_id, u.email, m.role from public.project_members m join auth.users u on u.id = m.user_id where m.project_id = $1`,
      [f.projectId],
    );
    expect(members.map((m) => m.user_id).sort()).toEqual(rows.map((m) => m.user_id).sort());
    const owner = members.find((m) => m.user_id === f.owner.userId);
    expect(owner).toMatchObject({ role: "owner", email: rows.find((m) => m.user_id === f.owner.userId)?.email });
    expect(owner?.joined_at).toBeTruthy();
    expect(owner?.last_sign_in_at).toBeTruthy();
    // The outsider (a member of another project only) never appears.
    expect(members.some((m) => m.user_id === f.outsider.userId)).toBe(false);
    // Owners first.
    expect(members[0]?.role).toBe("owner");
  });

  it("refuses accept_project_invites without a session (401)", async () => {
    const r = await call(anonClient(), "accept_project_invites");
    expect(r.status).toBe(401);
  });

  it.each(ACTORS)("keeps claim_project_invites and finish_project_invite from %s", async (who) => {
    const id = await seedInvite({ email: email("executor-only") });
    const claim = await call(clientOf(who), "claim_project_invites", { p_executor_id: "sneaky", p_limit: 100 });
    expect(claim.status).toBe(who === "anon" ? 401 : 403);
    const finish = await call(clientOf(who), "finish_project_invite", { p_invite_id: id, p_status: "sent" });
    expect(finish.status).toBe(who === "anon" ? 401 : 403);
    expect(await inviteRow(id)).toMatchObject({ status: "queued", attempts: 0, claimed_by: null });
  });
});

describe("invite_project_member", () => {
  it("lower-cases and trims the address and records an activity", async () => {
    const address = email("Mixed.Case");
    const r = await call(f.owner.client, "invite_project_member", {
      p_project_id: f.projectId,
      p_email: `  ${address.toUpperCase()} `,
      p_role: "operator",
    });
    expect(r.code).toBeNull();
    expect(r.data).toMatchObject({ email: address.toLowerCase(), role: "operator", status: "queued", attempts: 0 });
    const { rows } = await sql.query("select kind from public.activities where project_id = $1 and ref ->> 'email' = $2", [
      f.projectId,
      address.toLowerCase(),
    ]);
    expect(rows).toEqual([{ kind: "member.invited" }]);
  });

  it.each(["", "not-an-email", "a@b", "two@@example.test", "spaces in@example.test", `${"x".repeat(250)}@example.test`])(
    "answers 400 for the address %j",
    async (bad) => {
      const r = await call(f.owner.client, "invite_project_member", { p_project_id: f.projectId, p_email: bad, p_role: "viewer" });
      expect(r).toMatchObject({ status: 400, code: "22023" });
      expect(r.message).toMatch(/not an email address: type one like/);
    },
  );

  it.each(["admin", "", "OWNER"])("answers 400 for the role %j", async (bad) => {
    const r = await call(f.owner.client, "invite_project_member", { p_project_id: f.projectId, p_email: email("role"), p_role: bad });
    expect(r).toMatchObject({ status: 400, code: "22023" });
    expect(r.message).toMatch(/choose owner, operator or viewer/);
  });

  it("answers 409 for an address that is already a member", async () => {
    const { rows } = await sql.query<{ email: string }>("select email from auth.users where id = $1", [f.viewer.userId]);
    const r = await call(f.owner.client, "invite_project_member", {
      p_project_id: f.projectId,
      p_email: rows[0]?.email.toUpperCase(),
      p_role: "owner",
    });
    expect(r).toMatchObject({ status: 409, code: "PT409" });
    expect(r.message).toMatch(/already a member of this project \(viewer\): change their role/);
  });

  it.each(["queued", "sent", "failed"])("re-inviting a %s address updates its role and queues it again", async (status) => {
    const address = email(`again-${status}`);
    const id = await seedInvite({ email: address, status, role: "viewer" });
    await sql.query("update public.project_invites set attempts = 3, sent_at = case when status = 'sent' then now() end where id = $1", [
      id,
    ]);
    const r = await call(f.owner.client, "invite_project_member", { p_project_id: f.projectId, p_email: address, p_role: "operator" });
    expect(r.code).toBeNull();
    expect(r.data).toMatchObject({ id, role: "operator", status: "queued", attempts: 0, error: null, sent_at: null });
    const { rows } = await sql.query("select count(*)::int as n from public.project_invites where email = $1", [address]);
    expect(rows[0]).toEqual({ n: 1 });
  });

  it("makes a new invite for an address whose earlier invite was revoked", async () => {
    const address = email("after-revoke");
    const old = await seedInvite({ email: address, status: "revoked" });
    const r = await call(f.owner.client, "invite_project_member", { p_project_id: f.projectId, p_email: address, p_role: "viewer" });
    expect(r.code).toBeNull();
    expect((r.data as { id: string }).id).not.toBe(old);
    expect((await inviteRow(old))?.status).toBe("revoked");
  });
});

describe("revoke_project_invite", () => {
  it("answers 404 for an invite that does not exist", async () => {
    const r = await call(f.owner.client, "revoke_project_invite", { p_invite_id: crypto.randomUUID() });
    expect(r).toMatchObject({ status: 404, code: "PT404" });
  });

  it("answers 409 for an accepted invite and leaves it accepted", async () => {
    const id = await seedInvite({ status: "accepted" });
    const r = await call(f.owner.client, "revoke_project_invite", { p_invite_id: id });
    expect(r).toMatchObject({ status: 409, code: "PT409" });
    expect(r.message).toMatch(/remove the member/);
    expect((await inviteRow(id))?.status).toBe("accepted");
  });

  it("is idempotent", async () => {
    const id = await seedInvite({ status: "sent" });
    const first = await call(f.owner.client, "revoke_project_invite", { p_invite_id: id });
    const second = await call(f.owner.client, "revoke_project_invite", { p_invite_id: id });
    expect(first.data).toMatchObject({ status: "revoked" });
    expect(second.data).toEqual(first.data);
  });

  it("keeps an owner of another project away from this project's invites", async () => {
    const id = await seedInvite();
    const r = await call(f.outsider.client, "revoke_project_invite", { p_invite_id: id });
    expect(r).toMatchObject({ status: 403, code: "42501" });
  });
});

describe("change_project_member_role and remove_project_member", () => {
  it("answers 400 for an unknown role", async () => {
    const r = await call(f.owner.client, "change_project_member_role", {
      p_project_id: f.projectId,
      p_user_id: f.viewer.userId,
      p_role: "superuser",
    });
    expect(r).toMatchObject({ status: 400, code: "22023" });
    expect(await roleOf(f.viewer.userId)).toBe("viewer");
  });

  it("answers 404 for someone who is not a member", async () => {
    const change = await call(f.owner.client, "change_project_member_role", {
      p_project_id: f.projectId,
      p_user_id: f.outsider.userId,
      p_role: "viewer",
    });
    expect(change).toMatchObject({ status: 404, code: "PT404" });
    const remove = await call(f.owner.client, "remove_project_member", { p_project_id: f.projectId, p_user_id: f.outsider.userId });
    expect(remove).toMatchObject({ status: 404, code: "PT404" });
  });

  it("lets an owner hand over: promote another member, then step down", async () => {
    const next = await addMember("operator");
    const me = await addMember("owner");
    expect(
      (await call(me.client, "change_project_member_role", { p_project_id: f.projectId, p_user_id: next.userId, p_role: "owner" })).code,
    ).toBeNull();
    expect(
      (await call(me.client, "change_project_member_role", { p_project_id: f.projectId, p_user_id: me.userId, p_role: "viewer" })).code,
    ).toBeNull();
    expect(await roleOf(next.userId)).toBe("owner");
    expect(await roleOf(me.userId)).toBe("viewer");
  });

  it("gives the service role no way around the RPCs' checks", async () => {
    const r = await call(serviceClient(), "invite_project_member", { p_project_id: f.projectId, p_email: email("svc"), p_role: "viewer" });
    expect(r).toMatchObject({ status: 403, code: "42501" });
  });
});
