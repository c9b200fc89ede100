import crypto from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { anonClient, serviceClient, stackInfo } from "../../testing/stack-clients.ts";

function newEmail(label: string) {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

async function signToken(secret: string, claims: Record<string, unknown>, expiresAt: number) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(expiresAt - 3600)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}

describe("auth: email and password accounts", () => {
  it("signs up, is signed in at once, and reads its own user", async () => {
    const client = anonClient();
    const email = newEmail("signup");
    const { data, error } = await client.auth.signUp({ email, password: "correct horse", options: { data: { name: "Ada" } } });
    expect(error).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
    expect(data.user?.email).toBe(email);
    const me = await client.auth.getUser();
    expect(me.error).toBeNull();
    expect(me.data.user?.id).toBe(data.user?.id);
    expect(me.data.user?.user_metadata).toEqual({ name: "Ada" });
  });

  it("signs in with the right password and refuses a wrong one", async () => {
    const email = newEmail("signin");
    await anonClient().auth.signUp({ email, password: "right-password" });
    const good = await anonClient().auth.signInWithPassword({ email, password: "right-password" });
    expect(good.error).toBeNull();
    expect(good.data.session?.user.email).toBe(email);
    const bad = await anonClient().auth.signInWithPassword({ email, password: "wrong-password" });
    expect(bad.data.session).toBeNull();
    expect(bad.error?.status).toBe(400);
    expect(bad.error?.code).toBe("invalid_credentials");
    expect(bad.error?.message).toBe("Invalid login credentials");
  });

  it("treats the email case-insensitively and refuses a second account for it", async () => {
    const email = newEmail("dup");
    await anonClient().auth.signUp({ email, password: "first-password" });
    const again = await anonClient().auth.signUp({ email: email.toUpperCase(), password: "second-password" });
    expect(again.error?.code).toBe("user_already_exists");
    const signIn = await anonClient().auth.signInWithPassword({ email: email.toUpperCase(), password: "first-password" });
    expect(signIn.error).toBeNull();
  });

  it("refuses a password shorter than six characters with weak_password", async () => {
    const { error } = await anonClient().auth.signUp({ email: newEmail("weak"), password: "123" });
    expect(error?.code).toBe("weak_password");
    expect(error?.status).toBe(422);
  });

  it("rotates the refresh token and refuses the used one", async () => {
    const client = anonClient();
    const email = newEmail("refresh");
    await client.auth.signUp({ email, password: "refresh-password" });
    const first = (await client.auth.getSession()).data.session;
    expect(first).not.toBeNull();
    const refreshed = await client.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    expect(refreshed.data.session?.refresh_token).not.toBe(first?.refresh_token);
    expect(refreshed.data.session?.user.email).toBe(email);
    const reuse = await anonClient().auth.refreshSession({ refresh_token: first?.refresh_token ?? "" });
    expect(reuse.error?.code).toBe("refresh_token_already_used");
    const unknown = await anonClient().auth.refreshSession({ refresh_token: "not-a-token" });
    expect(unknown.error?.code).toBe("refresh_token_not_found");
  });

  it("logs out so the session's refresh token stops working", async () => {
    const client = anonClient();
    await client.auth.signUp({ email: newEmail("logout"), password: "logout-password" });
    const session = (await client.auth.getSession()).data.session;
    const { error } = await client.auth.signOut();
    expect(error).toBeNull();
    const reuse = await anonClient().auth.refreshSession({ refresh_token: session?.refresh_token ?? "" });
    expect(reuse.error).not.toBeNull();
    const stale = await fetch(`${stackInfo().url}/auth/v1/user`, {
      headers: { apikey: stackInfo().anonKey, authorization: `Bearer ${session?.access_token}` },
    });
    expect(stale.status).toBe(403);
    expect(((await stale.json()) as { error_code: string }).error_code).toBe("session_not_found");
  });

  it("answers an expired token and one signed with another secret as GoTrue (403 bad_jwt) and PostgREST (401) do", async () => {
    const { url, anonKey, jwtSecret } = stackInfo();
    const now = Math.floor(Date.now() / 1000);
    const claims = { role: "authenticated", sub: crypto.randomUUID(), aud: "authenticated" };
    const expired = await signToken(jwtSecret, claims, now - 60);
    const forged = await signToken("a-different-secret-that-is-long-enough-32", claims, now + 600);
    for (const token of [expired, forged]) {
      const user = await fetch(`${url}/auth/v1/user`, { headers: { apikey: anonKey, authorization: `Bearer ${token}` } });
      expect(user.status).toBe(403);
      expect(((await user.json()) as { error_code: string }).error_code).toBe("bad_jwt");
      const rest = await fetch(`${url}/rest/v1/projects?select=id`, { headers: { apikey: anonKey, authorization: `Bearer ${token}` } });
      expect(rest.status).toBe(401);
      const body = (await rest.json()) as { code: string };
      expect(body.code).toMatch(/^PGRST30[13]$/);
    }
  });

  it("answers a token whose sub or session_id is no UUID with GoTrue's bad_jwt, not a database error", async () => {
    const { url, anonKey, jwtSecret } = stackInfo();
    const exp = Math.floor(Date.now() / 1000) + 600;
    const badSub = await signToken(jwtSecret, { role: "authenticated", sub: "not-a-uuid", aud: "authenticated" }, exp);
    const user = await fetch(`${url}/auth/v1/user`, { headers: { apikey: anonKey, authorization: `Bearer ${badSub}` } });
    expect(user.status).toBe(400);
    expect(((await user.json()) as { error_code: string }).error_code).toBe("bad_jwt");
    const { data } = await anonClient().auth.signUp({ email: newEmail("badsession"), password: "bad-session-password" });
    const badSession = await signToken(jwtSecret, { role: "authenticated", sub: data.user?.id, session_id: "x" }, exp);
    const res = await fetch(`${url}/auth/v1/user`, { headers: { apikey: anonKey, authorization: `Bearer ${badSession}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error_code: string }).error_code).toBe("bad_jwt");
  });

  it("refuses requests without an API key", async () => {
    const res = await fetch(`${stackInfo().url}/auth/v1/settings`);
    expect(res.status).toBe(401);
    const health = await fetch(`${stackInfo().url}/auth/v1/health`);
    expect(health.status).toBe(200);
  });

  it("lets only the service role create, list and delete users", async () => {
    const email = newEmail("admin");
    const denied = await anonClient().auth.admin.createUser({ email, password: "admin-password", email_confirm: true });
    expect(denied.error?.status).toBe(403);
    const admin = serviceClient();
    const created = await admin.auth.admin.createUser({
      email,
      password: "admin-password",
      email_confirm: true,
      user_metadata: { team: "ops" },
    });
    expect(created.error).toBeNull();
    const id = created.data.user?.id ?? "";
    expect(created.data.user?.email_confirmed_at).toBeTruthy();
    const listed = await admin.auth.admin.listUsers({ page: 1, perPage: 1000 });
    expect(listed.data.users.some((u) => u.id === id)).toBe(true);
    const signIn = await anonClient().auth.signInWithPassword({ email, password: "admin-password" });
    expect(signIn.data.user?.user_metadata).toEqual({ team: "ops" });
    const removed = await admin.auth.admin.deleteUser(id);
    expect(removed.error).toBeNull();
    const after = await anonClient().auth.signInWithPassword({ email, password: "admin-password" });
    expect(after.error?.code).toBe("invalid_credentials");
  });

  it("puts the user's id, role and session into the access token claims", async () => {
    const client = anonClient();
    const { data } = await client.auth.signUp({ email: newEmail("claims"), password: "claims-password" });
    const token = data.session?.access_token ?? "";
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    expect(payload.sub).toBe(data.user?.id);
    expect(payload.role).toBe("authenticated");
    expect(payload.aud).toBe("authenticated");
    expect(typeof payload.session_id).toBe("string");
    expect(payload.exp - payload.iat).toBe(3600);
  });
});
