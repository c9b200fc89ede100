import crypto from "node:crypto";
import { createSupabaseClient } from "@mission-control/shared/db";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { anonClient, serviceClient, stackInfo } from "../../testing/stack-clients.ts";

function newEmail(label: string) {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

async function newUser(label: string, confirm = true) {
  const email = newEmail(label);
  const password = `pw-${crypto.randomUUID()}`;
  const { data, error } = await serviceClient().auth.admin.createUser({ email, password, email_confirm: confirm });
  if (error || !data.user) throw new Error(`could not create ${label}: ${error?.message}`);
  return { id: data.user.id, email, password };
}

describe("auth: admin updateUserById, listUsers and roles", () => {
  it("bans a user (sign-in and refresh refused with user_banned) and lifts the ban with 'none'", async () => {
    const user = await newUser("banned");
    const client = anonClient();
    const before = await client.auth.signInWithPassword({ email: user.email, password: user.password });
    const banned = await serviceClient().auth.admin.updateUserById(user.id, { ban_duration: "24h" });
    expect(banned.error).toBeNull();
    const until = Date.parse(banned.data.user?.banned_until ?? "");
    expect(until - Date.now()).toBeGreaterThan(23 * 3600_000);
    const refused = await anonClient().auth.signInWithPassword({ email: user.email, password: user.password });
    expect(refused.error?.status).toBe(400);
    expect(refused.error?.code).toBe("user_banned");
    const refresh = await anonClient().auth.refreshSession({ refresh_token: before.data.session?.refresh_token ?? "" });
    expect(refresh.error?.code).toBe("user_banned");

    const lifted = await serviceClient().auth.admin.updateUserById(user.id, { ban_duration: "none" });
    expect(lifted.data.user?.banned_until).toBeUndefined();
    expect((await anonClient().auth.signInWithPassword({ email: user.email, password: user.password })).error).toBeNull();

    const bad = await serviceClient().auth.admin.updateUserById(user.id, { ban_duration: "forever" });
    expect(bad.error?.status).toBe(400);
    expect(bad.error?.code).toBe("validation_failed");
  });

  it("confirms an email, merges metadata (null removes a key), sets a password and an email", async () => {
    const user = await newUser("edited", false);
    const admin = serviceClient().auth.admin;
    await admin.updateUserById(user.id, { user_metadata: { name: "Ada", team: "a" }, app_metadata: { plan: "pro" } });
    const { data, error } = await admin.updateUserById(user.id, {
      email_confirm: true,
      user_metadata: { team: null, role: "lead" },
      app_metadata: { seats: 3 },
    });
    expect(error).toBeNull();
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(data.user?.user_metadata).toEqual({ name: "Ada", role: "lead" });
    expect(data.user?.app_metadata).toMatchObject({ provider: "email", plan: "pro", seats: 3 });

    const next = newEmail("renamed");
    const moved = await admin.updateUserById(user.id, { email: next, password: "brand-new-pw" });
    expect(moved.data.user?.email).toBe(next);
    expect((await anonClient().auth.signInWithPassword({ email: next, password: "brand-new-pw" })).error).toBeNull();

    const other = await newUser("holder");
    const clash = await admin.updateUserById(user.id, { email: other.email });
    expect(clash.error?.status).toBe(422);
    expect(clash.error?.code).toBe("email_exists");
    const missing = await admin.updateUserById(crypto.randomUUID(), { user_metadata: {} });
    expect(missing.error?.status).toBe(404);
    expect(missing.error?.code).toBe("user_not_found");
  });

  it("pages users with GoTrue's Link and X-Total-Count headers, and refuses bad page values", async () => {
    await newUser("paged-a");
    await newUser("paged-b");
    await newUser("paged-c");
    const first = await serviceClient().auth.admin.listUsers({ page: 1, perPage: 2 });
    if (first.error || !("total" in first.data)) throw new Error(`listUsers failed: ${first.error?.message}`);
    expect(first.data.users).toHaveLength(2);
    expect(first.data.total).toBeGreaterThanOrEqual(3);
    expect(first.data.nextPage).toBe(2);

    const s = stackInfo();
    const headers = { apikey: s.serviceRoleKey, authorization: `Bearer ${s.serviceRoleKey}` };
    const raw = await fetch(`${s.url}/auth/v1/admin/users?per_page=2&page=1`, { headers });
    expect(raw.headers.get("x-total-count")).toBe(String(first.data.total));
    expect(raw.headers.get("link")).toContain('</auth/v1/admin/users?page=2&per_page=2>; rel="next"');
    // auth-js reads only a page number's first digit, so the last page is checked on the header itself.
    expect(raw.headers.get("link")).toContain(`</auth/v1/admin/users?page=${Math.ceil(first.data.total / 2)}&per_page=2>; rel="last"`);
    const bad = await fetch(`${s.url}/auth/v1/admin/users?page=abc`, { headers });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-sb-error-code")).toBe("validation_failed");
    const zero = await fetch(`${s.url}/auth/v1/admin/users?per_page=0`, { headers });
    expect(zero.status).toBe(400);
  });

  it("accepts a supabase_admin token as admin, as GoTrue's default admin roles", async () => {
    const s = stackInfo();
    const token = await new SignJWT({ role: "supabase_admin" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(s.jwtSecret));
    const admin = createSupabaseClient(s.url, token, { auth: { persistSession: false, autoRefreshToken: false } });
    const listed = await admin.auth.admin.listUsers({ perPage: 1 });
    expect(listed.error).toBeNull();
    expect(listed.data.users).toHaveLength(1);
    // ... but it is no REST role: /rest/v1 still refuses it.
    const rest = await fetch(`${s.url}/rest/v1/`, { headers: { apikey: token, authorization: `Bearer ${token}` } });
    expect(rest.status).toBe(401);
  });

  it("deletes a user, or soft-deletes it so its address is free again", async () => {
    const admin = serviceClient().auth.admin;
    const soft = await newUser("soft");
    const removed = await admin.deleteUser(soft.id, true);
    expect(removed.error).toBeNull();
    expect((await admin.getUserById(soft.id)).error?.status).toBe(404);
    expect((await anonClient().auth.signInWithPassword({ email: soft.email, password: soft.password })).error?.code).toBe(
      "invalid_credentials",
    );
    expect((await admin.createUser({ email: soft.email, password: "pw-again-1" })).error).toBeNull();
    const hard = await newUser("hard");
    expect((await admin.deleteUser(hard.id)).error).toBeNull();
    expect((await admin.deleteUser(hard.id)).error?.status).toBe(404);
  });

  it("reports what the local stack supports in /settings", async () => {
    const s = stackInfo();
    const settings = (await (await fetch(`${s.url}/auth/v1/settings`, { headers: { apikey: s.anonKey } })).json()) as Record<
      string,
      unknown
    >;
    expect(settings).toMatchObject({ disable_signup: false, mailer_autoconfirm: true, phone_autoconfirm: false, saml_enabled: false });
    expect(settings.external).toMatchObject({ email: true, phone: false, google: false });
  });
});
