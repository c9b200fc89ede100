import { describe, expect, it } from "vitest";
import type { TDb } from "../db/executor-client.ts";
import { createTokenVerifier } from "./create-token-verifier.ts";

/** A token whose payload carries `exp` (the verifier reads it only to bound its cache). */
const tokenExpiringAt = (expSeconds: number) => `h.${Buffer.from(JSON.stringify({ exp: expSeconds })).toString("base64url")}.s`;

/** Stands in for Supabase Auth's getUser: "good" tokens belong to user u1. */
function fakeAuth() {
  const calls: string[] = [];
  const db = {
    auth: {
      getUser: async (token: string) => {
        calls.push(token);
        return token.startsWith("h.")
          ? { data: { user: { id: "u1" } }, error: null }
          : { data: { user: null }, error: { status: 401, message: "invalid JWT" } };
      },
    },
  } as unknown as TDb;
  return { db, calls };
}

describe("createTokenVerifier", () => {
  it("asks Supabase Auth once and serves the same token from its cache", async () => {
    const { db, calls } = fakeAuth();
    let now = 1_000_000;
    const verifier = createTokenVerifier(db, { cacheMs: 30_000, now: () => now });
    const token = tokenExpiringAt(now / 1000 + 3600);
    expect(await verifier.verify(`Bearer ${token}`)).toEqual({ userId: "u1" });
    expect(await verifier.verify(`Bearer ${token}`)).toEqual({ userId: "u1" });
    expect(calls).toHaveLength(1);
    now += 31_000;
    await verifier.verify(`Bearer ${token}`);
    expect(calls).toHaveLength(2);
  });

  it("never caches a token past its expiry", async () => {
    const { db, calls } = fakeAuth();
    let now = 1_000_000;
    const verifier = createTokenVerifier(db, { cacheMs: 30_000, now: () => now });
    const token = tokenExpiringAt(now / 1000 + 5);
    await verifier.verify(`Bearer ${token}`);
    now += 6_000;
    await verifier.verify(`Bearer ${token}`);
    expect(calls).toHaveLength(2);
  });

  it("refuses a missing header or a token Supabase Auth rejects as unauthorized", async () => {
    const { db } = fakeAuth();
    const verifier = createTokenVerifier(db);
    await expect(verifier.verify(undefined)).rejects.toMatchObject({ code: "unauthorized" });
    await expect(verifier.verify("Basic abc")).rejects.toMatchObject({ code: "unauthorized" });
    await expect(verifier.verify("Bearer forged")).rejects.toMatchObject({
      code: "unauthorized",
      message: expect.stringContaining("sign in again"),
    });
  });
});
