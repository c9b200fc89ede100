import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { anonClient, stackInfo } from "../../testing/stack-clients.ts";

// GoTrue writes an error in one of two shapes, picked by the request's X-Supabase-Api-Version
// header (supabase-js always sends 2024-01-01): `{code: "<error code>", message}` with the version
// echoed, or without the header `{code: <status>, error_code, msg}`. Unknown paths included.

async function call(method: string, path: string, options: { version?: string; body?: unknown; key?: string } = {}) {
  const { url, anonKey } = stackInfo();
  const headers: Record<string, string> = { apikey: options.key ?? anonKey, "content-type": "application/json" };
  if (options.version) headers["x-supabase-api-version"] = options.version;
  const res = await fetch(`${url}/auth/v1${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    version: res.headers.get("x-supabase-api-version"),
    errorCode: res.headers.get("x-sb-error-code"),
    allow: res.headers.get("allow"),
  };
}

describe("auth errors in GoTrue's shapes", () => {
  it("answers a path GoTrue has but the local stack lacks with a 404 that names it", async () => {
    const res = await call("POST", "/resend", { body: { type: "signup", email: "a@example.test" } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 404, error_code: "not_found" });
    expect(res.body.msg).toMatch(/^404 page not found: POST \/auth\/v1\/resend is a GoTrue endpoint the local stack does not implement/);
    expect(res.body.msg).toContain("POST /signup");
    expect(res.body).not.toHaveProperty("message");
    expect(res.errorCode).toBe("not_found");
    expect(res.version).toBeNull();
  });

  it("answers a path GoTrue does not have with a 404 that says what is served", async () => {
    const res = await call("GET", "/no-such-thing", { version: "2024-01-01" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      code: "not_found",
      message: expect.stringMatching(/^404 page not found: \/auth\/v1\/no-such-thing is no auth endpoint/),
    });
    expect(res.version).toBe("2024-01-01");
  });

  it("answers a served path with another method 405 and the methods it takes", async () => {
    const res = await call("DELETE", "/token");
    expect(res.status).toBe(405);
    expect(res.body).toMatchObject({ code: 405, error_code: "method_not_allowed" });
    expect(res.allow).toBe("POST");
  });

  it("reports an unimplemented endpoint to supabase-js as an AuthApiError with status and code", async () => {
    const { error } = await anonClient().auth.resend({ type: "signup", email: "resend@example.test" });
    expect(error?.name).toBe("AuthApiError");
    expect(error?.status).toBe(404);
    expect(error?.code).toBe("not_found");
    expect(error?.message).toMatch(/GoTrue endpoint the local stack does not implement/);
  });

  it("gives a failing served call both shapes, by the version header", async () => {
    const creds = { email: "nobody@example.test", password: "wrong-password" };
    const legacy = await call("POST", "/token?grant_type=password", { body: creds });
    expect(legacy).toMatchObject({ status: 400, errorCode: "invalid_credentials", version: null });
    expect(legacy.body).toEqual({ code: 400, error_code: "invalid_credentials", msg: "Invalid login credentials" });
    const dated = await call("POST", "/token?grant_type=password", { body: creds, version: "2024-01-01" });
    expect(dated).toMatchObject({ status: 400, errorCode: "invalid_credentials", version: "2024-01-01" });
    expect(dated.body).toEqual({ code: "invalid_credentials", message: "Invalid login credentials" });
    // An earlier or unreadable version is the initial API, as in GoTrue.
    for (const version of ["2023-12-31", "yesterday"]) {
      const old = await call("POST", "/token?grant_type=password", { body: creds, version });
      expect(old.body.error_code).toBe("invalid_credentials");
      expect(old.version).toBeNull();
    }
  });

  it("keeps weak_password's reasons in both shapes", async () => {
    const body = { email: "weak@example.test", password: "123" };
    const legacy = await call("POST", "/signup", { body });
    expect(legacy.body).toMatchObject({ code: 422, error_code: "weak_password", weak_password: { reasons: ["length"] } });
    const dated = await call("POST", "/signup", { body, version: "2024-01-01" });
    expect(dated.body).toMatchObject({ code: "weak_password", weak_password: { reasons: ["length"] } });
  });

  it("answers an unknown grant_type as GoTrue does (400 invalid_credentials)", async () => {
    const res = await call("POST", "/token?grant_type=pkce", { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe("invalid_credentials");
    expect(res.body.msg).toMatch(/^unsupported_grant_type/);
  });

  it("refuses admin calls in GoTrue's order: no token 401, bad token 403 bad_jwt, non-admin 403 not_admin", async () => {
    const { url, anonKey } = stackInfo();
    const get = (authorization?: string) =>
      fetch(`${url}/auth/v1/admin/users`, { headers: { apikey: anonKey, ...(authorization ? { authorization } : {}) } }).then(
        async (r) => ({ status: r.status, code: ((await r.json()) as { error_code: string }).error_code }),
      );
    // With only an apikey header there is no Bearer token at all.
    expect(await get()).toEqual({ status: 401, code: "no_authorization" });
    expect(await get("Bearer not.a.jwt")).toEqual({ status: 403, code: "bad_jwt" });
    expect(await get(`Bearer ${anonKey}`)).toEqual({ status: 403, code: "not_admin" });
  });

  it("answers an admin user id that is no UUID with GoTrue's 404 validation_failed, and finds one in capitals", async () => {
    const { serviceRoleKey } = stackInfo();
    const admin = { key: serviceRoleKey };
    const asAdmin = async (path: string) => {
      const { url } = stackInfo();
      const res = await fetch(`${url}/auth/v1${path}`, { headers: { apikey: admin.key, authorization: `Bearer ${admin.key}` } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await asAdmin("/admin/users/not-a-uuid")).toEqual({
      status: 404,
      body: { code: 404, error_code: "validation_failed", msg: "user_id must be an UUID" },
    });
    const missing = await asAdmin("/admin/users/00000000-0000-4000-8000-000000000000");
    expect(missing).toEqual({ status: 404, body: { code: 404, error_code: "user_not_found", msg: "User not found" } });
    const { data } = await anonClient().auth.signUp({
      email: `caps-${crypto.randomUUID().slice(0, 8)}@example.test`,
      password: "caps-password",
    });
    const found = await asAdmin(`/admin/users/${data.user?.id.toUpperCase()}`);
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(data.user?.id);
  });
});
