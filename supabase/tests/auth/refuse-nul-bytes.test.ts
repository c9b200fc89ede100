import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { signedInClient, stackInfo } from "../../testing/stack-clients.ts";

// Postgres text cannot hold a NUL character: every auth input that reaches the database is checked
// first and answered as GoTrue answers bad input (400 / 422 with its error_code), never a 500.

async function auth(path: string, body: unknown, options: { method?: string; token?: string } = {}) {
  const { url, anonKey, serviceRoleKey } = stackInfo();
  const token = options.token ?? anonKey;
  const res = await fetch(`${url}/auth/v1${path}`, {
    method: options.method ?? "POST",
    headers: {
      apikey: token === serviceRoleKey ? serviceRoleKey : anonKey,
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { error_code?: string; code?: string; msg?: string };
  return { status: res.status, code: json.error_code ?? json.code };
}

const email = () => `nul-${crypto.randomUUID().slice(0, 8)}@example.test`;

describe("auth refuses NUL characters with GoTrue's answers", () => {
  it.each([
    ["a password at signup", "/signup", () => ({ email: email(), password: "pass\u0000word" }), 422, "validation_failed"],
    ["an email at signup", "/signup", () => ({ email: `a\u0000${email()}`, password: "password-1" }), 400, "validation_failed"],
    [
      "metadata at signup",
      "/signup",
      () => ({ email: email(), password: "password-1", data: { name: "A\u0000" } }),
      400,
      "validation_failed",
    ],
    [
      "a metadata key at signup",
      "/signup",
      () => ({ email: email(), password: "password-1", data: { "n\u0000": 1 } }),
      400,
      "validation_failed",
    ],
    [
      "a password at sign-in",
      "/token?grant_type=password",
      () => ({ email: email(), password: "pass\u0000word" }),
      400,
      "invalid_credentials",
    ],
    [
      "an email at sign-in",
      "/token?grant_type=password",
      () => ({ email: `\u0000${email()}`, password: "password-1" }),
      400,
      "validation_failed",
    ],
    ["a refresh token", "/token?grant_type=refresh_token", () => ({ refresh_token: "abc\u0000" }), 400, "refresh_token_not_found"],
  ])("%s", async (_what, path, body, status, code) => {
    expect(await auth(path, body())).toEqual({ status, code });
  });

  it("refuses a NUL in a new password or metadata of the signed-in user", async () => {
    const { client } = await signedInClient("nul");
    const { data } = await client.auth.getSession();
    const token = data.session?.access_token ?? "";
    expect(await auth("/user", { password: "new\u0000password" }, { method: "PUT", token })).toEqual({
      status: 422,
      code: "validation_failed",
    });
    expect(await auth("/user", { data: { x: "\u0000" } }, { method: "PUT", token })).toEqual({ status: 400, code: "validation_failed" });
  });

  it("answers GoTrue's 404 for an admin user id with a NUL or bad percent-encoding", async () => {
    const { serviceRoleKey } = stackInfo();
    expect(await auth("/admin/users/%00", undefined, { method: "GET", token: serviceRoleKey })).toEqual({
      status: 404,
      code: "validation_failed",
    });
    expect(await auth("/admin/users/%E0%A4%A", undefined, { method: "GET", token: serviceRoleKey })).toEqual({
      status: 404,
      code: "validation_failed",
    });
    expect(await auth("/admin/users", { email: email(), password: "pass\u0000word" }, { token: serviceRoleKey })).toEqual({
      status: 422,
      code: "validation_failed",
    });
  });

  it("answers bad JSON with GoTrue's bad_json", async () => {
    const { url, anonKey } = stackInfo();
    const res = await fetch(`${url}/auth/v1/signup`, {
      method: "POST",
      headers: { apikey: anonKey, "content-type": "application/json" },
      body: "{",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_code: string }).error_code).toBe("bad_json");
  });
});
