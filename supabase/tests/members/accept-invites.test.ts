import crypto from "node:crypto";
import { createSupabaseClient } from "@mission-control/shared/db";
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { serviceClient, sqlPool, stackInfo } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
let slug: string;
const created: string[] = [];

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("accept");
  slug = (await sql.query<{ slug: string }>("select slug from public.projects where id = $1", [f.projectId])).rows[0]?.slug ?? "";
});
afterAll(async () => {
  await dropProjectFixture(f);
  for (const id of created) await serviceClient().auth.admin.deleteUser(id);
  await sql.end();
});

const address = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;

async function invite(email: string, role: string, projectId = f.projectId): Promise<string> {
  const { data, error } = await f.owner.client.rpc("invite_project_member", { p_project_id: projectId, p_email: email, p_role: role });
  if (error) throw new Error(`invite failed: ${error.message}`);
  return (data as { id: string }).id;
}

/** Creates an account through the admin API (confirmed or not) and returns its id and password. */
async function createAccount(email: string, confirmed: boolean) {
  const password = `pw-${crypto.randomUUID()}`;
  const { data, error } = await serviceClient().auth.admin.createUser({ email, password, email_confirm: confirmed });
  if (error || !data.user) throw new Error(`could not create ${email}: ${error?.message}`);
  created.push(data.user.id);
  return { userId: data.user.id, password };
}

async function signIn(email: string, password: string): Promise<SupabaseClient> {
  const s = stackInfo();
  const client = createSupabaseClient(s.url, s.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw new Error(`could not sign in ${email}: ${error.message}`);
  return client;
}

async function memberships(userId: string) {
  const { rows } = await sql.query<{ project_id: string; role: string }>(
    "select project_id, role from public.project_members where user_id = $1 order by project_id",
    [userId],
  );
  return rows;
}

async function inviteStatus(id: string) {
  const { rows } = await sql.query<{ status: string; accepted_by: string | null }>(
    "select status, accepted_by from public.project_invites where id = $1",
    [id],
  );
  return rows[0];
}

async function joinedActivities(userId: string): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    "select count(*)::int as n from public.activities where kind = 'member.joined' and ref ->> 'user_id' = $1",
    [userId],
  );
  return rows[0]?.n ?? -1;
}

describe("accepting project invites", () => {
  it("joins a new account with the invited role exactly once, the moment its address is confirmed", async () => {
    const email = address("Newcomer");
    const inviteId = await invite(email.toUpperCase(), "operator");
    const { userId, password } = await createAccount(email, true);
    expect(await memberships(userId)).toEqual([{ project_id: f.projectId, role: "operator" }]);
    expect(await inviteStatus(inviteId)).toEqual({ status: "accepted", accepted_by: userId });

    // The /auth/accept page then calls accept: nothing joins twice, the answer names the project.
    const client = await signIn(email, password);
    for (let i = 0; i < 2; i += 1) {
      const { data, error } = await client.rpc("accept_project_invites");
      expect(error).toBeNull();
      expect(data).toEqual([{ project_id: f.projectId, slug, name: "accept project", role: "operator" }]);
    }
    expect(await memberships(userId)).toEqual([{ project_id: f.projectId, role: "operator" }]);
    expect(await joinedActivities(userId)).toBe(1);
  });

  it("does not join an unconfirmed account until its address is confirmed", async () => {
    const email = address("unconfirmed");
    const inviteId = await invite(email, "viewer");
    const { userId } = await createAccount(email, false);
    expect(await memberships(userId)).toEqual([]);
    // Queued, or sent if an executor of another test file mailed it meanwhile: not accepted.
    expect(["queued", "sent"]).toContain((await inviteStatus(inviteId))?.status);

    await sql.query("update auth.users set email_confirmed_at = now() where id = $1", [userId]);
    expect(await memberships(userId)).toEqual([{ project_id: f.projectId, role: "viewer" }]);
    expect((await inviteStatus(inviteId))?.status).toBe("accepted");
  });

  it("joins an account that existed before the invite when it accepts", async () => {
    const email = address("existing");
    const { userId, password } = await createAccount(email, true);
    const inviteId = await invite(email, "viewer");
    await sql.query("update public.project_invites set status = 'sent', sent_at = now() where id = $1", [inviteId]);
    expect(await memberships(userId)).toEqual([]);

    const client = await signIn(email, password);
    const { data, error } = await client.rpc("accept_project_invites");
    expect(error).toBeNull();
    expect(data).toEqual([{ project_id: f.projectId, slug, name: "accept project", role: "viewer" }]);
    expect(await memberships(userId)).toEqual([{ project_id: f.projectId, role: "viewer" }]);
    // A member now: the list shows them.
    const listed = await client.rpc("list_project_members", { p_project_id: f.projectId });
    expect((listed.data as Array<{ user_id: string }>).some((m) => m.user_id === userId)).toBe(true);
  });

  it("joins every project that invited the address, and keeps an existing member's role", async () => {
    const email = address("many");
    const { userId, password } = await createAccount(email, true);
    await sql.query("insert into public.project_members (project_id, user_id, role) values ($1, $2, 'owner')", [f.otherProjectId, userId]);
    await invite(email, "operator");
    // An owner of the other project invites them there as a viewer (e.g. before they were added).
    await sql.query("insert into public.project_invites (project_id, email, role) values ($1, $2, 'viewer')", [f.otherProjectId, email]);

    const client = await signIn(email, password);
    const { data, error } = await client.rpc("accept_project_invites");
    expect(error).toBeNull();
    expect((data as Array<{ project_id: string; role: string }>).map((p) => [p.project_id, p.role]).sort()).toEqual(
      [
        [f.projectId, "operator"],
        [f.otherProjectId, "owner"],
      ].sort(),
    );
    expect(await memberships(userId)).toEqual(
      [
        { project_id: f.projectId, role: "operator" },
        { project_id: f.otherProjectId, role: "owner" },
      ].sort((a, b) => a.project_id.localeCompare(b.project_id)),
    );
    await sql.query("delete from public.project_members where project_id = $1 and user_id = $2", [f.otherProjectId, userId]);
  });

  it("joins nothing through a revoked or failed invite", async () => {
    const email = address("revoked");
    const revoked = await invite(email, "operator");
    const { error } = await f.owner.client.rpc("revoke_project_invite", { p_invite_id: revoked });
    expect(error).toBeNull();
    const { userId, password } = await createAccount(email, true);
    const client = await signIn(email, password);
    const accepted = await client.rpc("accept_project_invites");
    expect(accepted.data).toEqual([]);
    expect(await memberships(userId)).toEqual([]);
    expect((await inviteStatus(revoked))?.status).toBe("revoked");
  });

  it("answers 403 for an account whose address is not confirmed", async () => {
    const email = address("not-yet");
    await invite(email, "viewer");
    const { userId, password } = await createAccount(email, false);
    // Signed in while its address was confirmed; then the address went back to unconfirmed (its token stays valid).
    await sql.query("update auth.users set email_confirmed_at = now() where id = $1", [userId]);
    const client = await signIn(email, password);
    await sql.query("delete from public.project_members where user_id = $1", [userId]);
    await sql.query("update auth.users set email_confirmed_at = null where id = $1", [userId]);
    await invite(email, "operator");
    const { status, error } = await client.rpc("accept_project_invites");
    expect(status).toBe(403);
    expect(error?.message).toMatch(/not confirmed yet: open the link/);
    expect(await memberships(userId)).toEqual([]);
  });
});
