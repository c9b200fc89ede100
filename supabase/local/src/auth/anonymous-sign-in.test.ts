import { describe, expect, it } from "vitest";
import { isAnonymousSignUp, signInAnonymously } from "./anonymous-sign-in.ts";
import { AuthError } from "./auth-errors.ts";

describe("signInAnonymously", () => {
  it("is refused with GoTrue's 422 anonymous_provider_disabled when the stack has not turned them on", async () => {
    const ctx = { adminPool: {} as never, keys: {} as never, publicUrl: "http://127.0.0.1:1", anonymousSignIns: undefined };
    const failure = await signInAnonymously(ctx, {}).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AuthError);
    expect(failure).toMatchObject({ status: 422, code: "anonymous_provider_disabled" });
  });

  it("treats a sign-up with neither email nor phone as anonymous", () => {
    expect(isAnonymousSignUp({})).toBe(true);
    expect(isAnonymousSignUp({ data: { a: 1 }, email: "" })).toBe(true);
    expect(isAnonymousSignUp({ email: "a@example.test", password: "x" })).toBe(false);
    expect(isAnonymousSignUp({ phone: "+15550100" })).toBe(false);
  });
});
