import crypto from "node:crypto";
import type { User } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import { anonClient, serviceClient, sqlPool } from "../../testing/stack-clients.ts";

// GoTrue answers every user with its sign-in time and its identities; for an email account that
// is one "email" identity whose provider id is the user id (auth-js's UserIdentity type).

const newEmail = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}@Example.test`;

/** Asserts the one email identity GoTrue gives an email + password account. */
function expectEmailIdentity(user: User | null | undefined, email: string) {
  expect(user?.identities).toHaveLength(1);
  const identity = user?.identities?.[0];
  expect(identity).toMatchObject({
    id: user?.id,
    user_id: user?.id,
    provider: "email",
    email: email.toLowerCase(),
    identity_data: { sub: user?.id, email: email.toLowerCase(), email_verified: false, phone_verified: false },
  });
  expect(identity?.identity_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(identity?.identity_id).not.toBe(user?.id);
  for (const at of [identity?.created_at, identity?.updated_at, identity?.last_sign_in_at]) {
    expect(Number.isNaN(Date.parse(at ?? ""))).toBe(false);
  }
  return identity;
}

describe("auth: users carry last_sign_in_at and their email identity", () => {
  it("in the sign-up answer, getUser and the admin API, with the same identity each time", async () => {
    const client = anonClient();
    const email = newEmail("identity");
    const signUp = await client.auth.signUp({ email, password: "identity-password" });
    expect(signUp.error).toBeNull();
    const signedUpAt = signUp.data.user?.last_sign_in_at;
    expect(signedUpAt).toBeTruthy();
    // The sign-up answer tells the time the database stored, not one made up beside it.
    const db = sqlPool();
    try {
      const { rows } = await db.query<{ last_sign_in_at: Date }>("select last_sign_in_at from auth.users where id = $1", [
        signUp.data.user?.id,
      ]);
      expect(rows[0]?.last_sign_in_at.toISOString()).toBe(signedUpAt);
    } finally {
      await db.end();
    }
    const fromSignUp = expectEmailIdentity(signUp.data.user, email);

    const me = await client.auth.getUser();
    expect(me.error).toBeNull();
    expect(me.data.user?.last_sign_in_at).toBe(signedUpAt);
    expect(expectEmailIdentity(me.data.user, email)).toEqual(fromSignUp);

    const admin = await serviceClient().auth.admin.getUserById(signUp.data.user?.id ?? "");
    expect(admin.error).toBeNull();
    expect(admin.data.user?.last_sign_in_at).toBe(signedUpAt);
    expect(expectEmailIdentity(admin.data.user, email)).toEqual(fromSignUp);
  });

  it("moves last_sign_in_at forward on a password sign-in, in that answer", async () => {
    const email = newEmail("resign");
    const first = await anonClient().auth.signUp({ email, password: "resign-password" });
    const firstAt = Date.parse(first.data.user?.last_sign_in_at ?? "");
    const again = await anonClient().auth.signInWithPassword({ email, password: "resign-password" });
    expect(again.error).toBeNull();
    expect(Date.parse(again.data.user?.last_sign_in_at ?? "")).toBeGreaterThan(firstAt);
    expectEmailIdentity(again.data.user, email);
    const refreshed = await anonClient().auth.refreshSession({ refresh_token: again.data.session?.refresh_token ?? "" });
    expect(refreshed.data.user?.last_sign_in_at).toBe(again.data.user?.last_sign_in_at);
    expectEmailIdentity(refreshed.data.user, email);
  });

  it("gives an admin-created account no sign-in time until it signs in, and its identity from the start", async () => {
    const email = newEmail("admin-identity");
    const admin = serviceClient();
    const created = await admin.auth.admin.createUser({ email, password: "admin-identity-password", email_confirm: true });
    expect(created.error).toBeNull();
    expect(created.data.user?.last_sign_in_at).toBeUndefined();
    const identity = expectEmailIdentity(created.data.user, email);
    const listed = await admin.auth.admin.listUsers({ page: 1, perPage: 1000 });
    expect(listed.data.users.find((u) => u.id === created.data.user?.id)?.identities).toEqual([identity]);

    const client = anonClient();
    await client.auth.signInWithPassword({ email, password: "admin-identity-password" });
    const updated = await client.auth.updateUser({ data: { team: "ops" } });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.last_sign_in_at).toBeTruthy();
    expect(updated.data.user?.user_metadata).toEqual({ team: "ops" });
    expect(expectEmailIdentity(updated.data.user, email)).toEqual(identity);
  });
});
