import { decodeJwt } from "jose";
import { Secret, TOTP } from "otpauth";
import { afterAll, describe, expect, it } from "vitest";
import { anonClient, signedInClient, sqlPool, stackInfo } from "../../testing/stack-clients.ts";

const pool = sqlPool();
afterAll(() => pool.end());

/** The code an authenticator app shows for `secret` at `ms` (the test's clock; the stack accepts ±30 s). */
function codeAt(secret: string, ms = Date.now()) {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: ms });
}

async function enroll(client: Awaited<ReturnType<typeof signedInClient>>["client"], friendlyName = "Phone") {
  const { data, error } = await client.auth.mfa.enroll({ factorType: "totp", friendlyName, issuer: "Mission Control" });
  if (error || !data) throw new Error(`enroll failed: ${error?.message}`);
  return data as { id: string; type: "totp"; friendly_name: string; totp: { qr_code: string; secret: string; uri: string } };
}

async function accessClaims(client: Awaited<ReturnType<typeof signedInClient>>["client"]) {
  const token = (await client.auth.getSession()).data.session?.access_token ?? "";
  return decodeJwt(token) as { aal?: string; amr?: Array<{ method: string; timestamp: number }>; session_id?: string };
}

describe("auth: TOTP factors (GoTrue's /factors)", () => {
  it("gives password sessions aal1 with a password amr entry", async () => {
    const { client } = await signedInClient("mfa-aal1");
    const claims = await accessClaims(client);
    expect(claims.aal).toBe("aal1");
    expect(claims.amr?.map((entry) => entry.method)).toEqual(["password"]);
    const level = await client.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(level.data).toMatchObject({ currentLevel: "aal1", nextLevel: "aal1" });
  });

  it("enrolls an unverified factor with a QR code, secret and URI, and lists it on the user", async () => {
    const { client, email } = await signedInClient("mfa-enroll");
    const factor = await enroll(client);
    expect(factor.type).toBe("totp");
    expect(factor.friendly_name).toBe("Phone");
    expect(factor.totp.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(factor.totp.uri).toContain(`secret=${factor.totp.secret}`);
    expect(factor.totp.uri).toContain(encodeURIComponent(email));
    expect(factor.totp.qr_code.startsWith("data:image/svg+xml;utf-8,<svg")).toBe(true);
    expect(factor.totp.qr_code).not.toContain("#");
    const listed = await client.auth.mfa.listFactors();
    expect(listed.error).toBeNull();
    expect(listed.data?.all).toEqual([
      expect.objectContaining({ id: factor.id, status: "unverified", factor_type: "totp", friendly_name: "Phone" }),
    ]);
    expect(listed.data?.totp).toEqual([]); // supabase-js lists only verified factors per type
    const row = await pool.query("select secret from auth.mfa_factors where id = $1", [factor.id]);
    expect(row.rows[0]?.secret).toBe(factor.totp.secret);
  });

  it("verifies a code: the factor is verified and the session becomes aal2 with password and totp in amr", async () => {
    const { client } = await signedInClient("mfa-verify");
    const before = await accessClaims(client);
    const factor = await enroll(client);
    const { data, error } = await client.auth.mfa.challengeAndVerify({ factorId: factor.id, code: codeAt(factor.totp.secret) });
    expect(error).toBeNull();
    expect(data?.access_token).toBeTruthy();
    const claims = await accessClaims(client);
    expect(claims.aal).toBe("aal2");
    expect(claims.session_id).toBe(before.session_id);
    expect(claims.amr?.map((entry) => entry.method)).toEqual(["totp", "password"]);
    const level = await client.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(level.data).toMatchObject({ currentLevel: "aal2", nextLevel: "aal2" });
    const listed = await client.auth.mfa.listFactors();
    expect(listed.data?.totp.map((f) => [f.id, f.status])).toEqual([[factor.id, "verified"]]);
    // A refresh keeps the session's aal.
    const refreshed = await client.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    expect((await accessClaims(client)).aal).toBe("aal2");
  });

  it("signs in again at aal1 with aal2 as the next level once a factor is verified", async () => {
    const { client, email, password } = await signedInClient("mfa-next");
    const factor = await enroll(client);
    await client.auth.mfa.challengeAndVerify({ factorId: factor.id, code: codeAt(factor.totp.secret) });
    const again = anonClient();
    await again.auth.signInWithPassword({ email, password });
    expect((await accessClaims(again)).aal).toBe("aal1");
    const level = await again.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(level.data).toMatchObject({ currentLevel: "aal1", nextLevel: "aal2" });
  });

  it("refuses a wrong code, a replayed code and an expired challenge with GoTrue's codes", async () => {
    const { client } = await signedInClient("mfa-refuse");
    const factor = await enroll(client);
    const now = Date.now();
    const wrong = await client.auth.mfa.challengeAndVerify({ factorId: factor.id, code: codeAt(factor.totp.secret, now - 120_000) });
    expect(wrong.error?.code).toBe("mfa_verification_failed");
    expect(wrong.error?.status).toBe(422);
    const code = codeAt(factor.totp.secret, now);
    expect((await client.auth.mfa.challengeAndVerify({ factorId: factor.id, code })).error).toBeNull();
    const replay = await client.auth.mfa.challengeAndVerify({ factorId: factor.id, code });
    expect(replay.error?.code).toBe("mfa_verification_failed");
    expect(replay.error?.message).toMatch(/already used/);
    const challenge = await client.auth.mfa.challenge({ factorId: factor.id });
    expect(challenge.data?.expires_at).toBeGreaterThan(now / 1000 + 250);
    await pool.query("update auth.mfa_challenges set created_at = now() - interval '301 seconds' where id = $1", [challenge.data?.id]);
    const expired = await client.auth.mfa.verify({
      factorId: factor.id,
      challengeId: challenge.data?.id ?? "",
      code: codeAt(factor.totp.secret, now + 30_000),
    });
    expect(expired.error?.code).toBe("mfa_challenge_expired");
  });

  it("answers an unknown factor with mfa_factor_not_found and another user's factor the same way", async () => {
    const owner = await signedInClient("mfa-owner");
    const factor = await enroll(owner.client);
    const other = await signedInClient("mfa-other");
    const theirs = await other.client.auth.mfa.challenge({ factorId: factor.id });
    expect(theirs.error?.code).toBe("mfa_factor_not_found");
    expect(theirs.error?.status).toBe(404);
    const unknown = await owner.client.auth.mfa.challenge({ factorId: crypto.randomUUID() });
    expect(unknown.error?.code).toBe("mfa_factor_not_found");
  });

  it("needs aal2 to unenroll a verified factor or add a second one, and downgrades the session after unenrolling", async () => {
    const { client, email, password } = await signedInClient("mfa-unenroll");
    const factor = await enroll(client);
    await client.auth.mfa.challengeAndVerify({ factorId: factor.id, code: codeAt(factor.totp.secret) });
    const aal1 = anonClient();
    await aal1.auth.signInWithPassword({ email, password });
    const refused = await aal1.auth.mfa.unenroll({ factorId: factor.id });
    expect(refused.error?.code).toBe("insufficient_aal");
    const second = await aal1.auth.mfa.enroll({ factorType: "totp", friendlyName: "Laptop" });
    expect(second.error?.code).toBe("insufficient_aal");
    const done = await client.auth.mfa.unenroll({ factorId: factor.id });
    expect(done.error).toBeNull();
    expect(done.data?.id).toBe(factor.id);
    await client.auth.refreshSession();
    expect((await accessClaims(client)).aal).toBe("aal1");
    expect((await client.auth.mfa.listFactors()).data?.all).toEqual([]);
  });

  it("keeps secrets out of /rest/v1 for every API role", async () => {
    const { client } = await signedInClient("mfa-rest");
    await enroll(client);
    for (const schema of ["auth"]) {
      const res = await fetch(`${stackInfo().url}/rest/v1/mfa_factors?select=secret`, {
        headers: { apikey: stackInfo().anonKey, authorization: `Bearer ${stackInfo().serviceRoleKey}`, "accept-profile": schema },
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const grants = await pool.query(
      `select count(*)::int as n from information_schema.role_table_grants
       where table_schema = 'auth' and table_name like 'mfa_%' and grantee in ('anon', 'authenticated', 'service_role')`,
    );
    expect(grants.rows[0]?.n).toBe(0);
  });
});
