import { describe, expect, it } from "vitest";
import { classifyInviteError, isEmailExists } from "./classify-invite-error.ts";

const AUTH = "http://127.0.0.1:54321/auth/v1";

describe("classifyInviteError", () => {
  it("recognises GoTrue's answer for an address that already has an account", () => {
    expect(
      isEmailExists({ status: 422, code: "email_exists", message: "A user with this email address has already been registered" }),
    ).toBe(true);
    expect(isEmailExists({ status: 422, message: "A user with this email address has already been registered" })).toBe(true);
    expect(isEmailExists({ status: 422, code: "validation_failed", message: "Unable to validate email address: invalid format" })).toBe(
      false,
    );
  });

  it.each([
    { status: 429, code: "over_email_send_rate_limit", message: "email rate limit exceeded" },
    { status: 500, message: "Error sending invite email" },
    { status: 0, name: "AuthRetryableFetchError", message: "fetch failed" },
    { status: 404, message: "page not found" },
  ])("retries $status $message", (error) => {
    const verdict = classifyInviteError(error, AUTH);
    expect(verdict.retry).toBe(true);
    expect(verdict.error).toContain(error.message);
  });

  it("names the executor's settings when the auth server refuses its key", () => {
    expect(classifyInviteError({ status: 403, code: "not_admin", message: "User not allowed" }, AUTH).error).toMatch(
      /check SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY/,
    );
  });

  it("does not retry an address the auth server refuses, and says to check it", () => {
    const verdict = classifyInviteError({ status: 400, code: "email_address_invalid", message: "Email address is invalid" }, AUTH);
    expect(verdict).toEqual({
      retry: false,
      error: "The auth server refused to mail this address (HTTP 400: Email address is invalid): check the address and invite again",
    });
  });
});
