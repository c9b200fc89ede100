import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { anonClient, stackInfo } from "../../testing/stack-clients.ts";

describe("auth: anonymous sign-ins (the test stack turns them on)", () => {
  it("signs in an anonymous user: is_anonymous in the user JSON and in the token, no identities, amr anonymous", async () => {
    const client = anonClient();
    const { data, error } = await client.auth.signInAnonymously({ options: { data: { nickname: "visitor" } } });
    expect(error).toBeNull();
    expect(data.user?.is_anonymous).toBe(true);
    expect(data.user?.email).toBe("");
    expect(data.user?.identities).toEqual([]);
    expect(data.user?.user_metadata).toEqual({ nickname: "visitor" });
    const claims = decodeJwt(data.session?.access_token ?? "");
    expect(claims).toMatchObject({ is_anonymous: true, role: "authenticated", aal: "aal1" });
    expect((claims.amr as Array<{ method: string }>).map((entry) => entry.method)).toEqual(["anonymous"]);
    const me = await client.auth.getUser();
    expect(me.data.user?.id).toBe(data.user?.id);
    expect(me.data.user?.is_anonymous).toBe(true);
    const refreshed = await client.auth.refreshSession();
    expect(refreshed.error).toBeNull();
  });

  it("refuses anonymous users MFA enrollment, as GoTrue's requireNotAnonymous", async () => {
    const client = anonClient();
    await client.auth.signInAnonymously();
    const { error } = await client.auth.mfa.enroll({ factorType: "totp" });
    expect(error?.status).toBe(403);
    expect(error?.code).toBe("no_authorization");
  });

  it("says anonymous users are enabled in /settings", async () => {
    const res = await fetch(`${stackInfo().url}/auth/v1/settings`, { headers: { apikey: stackInfo().anonKey } });
    expect(((await res.json()) as { external: { anonymous_users: boolean } }).external.anonymous_users).toBe(true);
  });
});
