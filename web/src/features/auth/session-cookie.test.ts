import { describe, expect, it } from "vitest";
import { readTokenClaims } from "./read-token-claims.ts";
import {
  CLOCK_COOKIE,
  clockCookieValue,
  cookieAssignment,
  parseClockCookie,
  SESSION_COOKIE,
  sessionCookieAssignment,
} from "./session-cookie.ts";

/** An unsigned JWT with these claims (the signature is the gateway's business, not the reader's). */
function token(claims: object): string {
  return `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.signature`;
}

describe("readTokenClaims", () => {
  it("reads the user, email and expiry of an access token, base64url and unpadded", () => {
    // "é" and "?" make base64url differ from base64 ("-", "_") and the length need padding.
    const claims = { sub: "u1", email: "ops+é?@example.com", exp: 1_900_000_000, role: "authenticated" };
    expect(readTokenClaims(token(claims))).toEqual({ sub: "u1", email: "ops+é?@example.com", exp: 1_900_000_000 });
  });

  it("is null for anything that is not a token with a user and an expiry", () => {
    for (const value of ["", "abc", "a.b.c", token({ email: "x@y.z", exp: 1 }), token({ sub: "u1" }), token({ sub: "", exp: 1 })]) {
      expect(readTokenClaims(value), value).toBeNull();
    }
  });
});

describe("the clock cookie", () => {
  it("round-trips a locale and a time zone", () => {
    const clock = { locale: "de-DE", timeZone: "Asia/Tokyo" };
    expect(parseClockCookie(clockCookieValue(clock))).toEqual(clock);
    expect(clockCookieValue(clock)).not.toMatch(/[;,\s|]/);
  });

  it("is null for a zone or locale the runtime cannot format with, or a malformed value", () => {
    for (const value of [undefined, "", "en-US", "en-US|Mars/Olympus", "not a locale!!|UTC", "%E0%A4%A", `en-US|${"x".repeat(100)}`]) {
      expect(parseClockCookie(value), String(value)).toBeNull();
    }
  });
});

describe("cookie assignments", () => {
  it("sets a site-wide, same-site cookie, Secure only over https", () => {
    expect(cookieAssignment(CLOCK_COOKIE, "v", 60, false)).toBe(`${CLOCK_COOKIE}=v; Path=/; Max-Age=60; SameSite=Lax`);
    expect(cookieAssignment(CLOCK_COOKIE, "v", 60.9, true)).toBe(`${CLOCK_COOKIE}=v; Path=/; Max-Age=60; SameSite=Lax; Secure`);
  });

  it("mirrors the access token until it expires, and never the refresh token", () => {
    const stored = JSON.stringify({ access_token: "at.at.at", refresh_token: "rt-secret", expires_at: 1_003_600 });
    const assignment = sessionCookieAssignment(stored, 1_000_000 * 1000, false);
    expect(assignment).toBe(`${SESSION_COOKIE}=at.at.at; Path=/; Max-Age=3600; SameSite=Lax`);
    expect(assignment).not.toContain("rt-secret");
  });

  it("deletes the cookie on sign-out, for an expired session, and for anything that is not a session", () => {
    const deleted = `${SESSION_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
    expect(sessionCookieAssignment(null, 0, false)).toBe(deleted);
    expect(sessionCookieAssignment(JSON.stringify({ access_token: "a", expires_at: 10 }), 20_000, false)).toBe(deleted);
    expect(sessionCookieAssignment("{not json", 0, false)).toBe(deleted);
    expect(sessionCookieAssignment(JSON.stringify({ access_token: 5, expires_at: 10 }), 0, false)).toBe(deleted);
  });
});
