import { describe, expect, it } from "vitest";
import { isStepUpRefusal, mfaErrorMessage } from "./mfa-error-message.ts";

describe("mfaErrorMessage", () => {
  it("says what to do for a wrong, a replayed and an expired code", () => {
    expect(mfaErrorMessage({ code: "mfa_verification_failed", message: "Invalid TOTP code entered" })).toMatch(/not right/);
    expect(mfaErrorMessage({ code: "mfa_verification_failed", message: "Invalid TOTP code entered: this code was already used" })).toMatch(
      /next code/,
    );
    expect(mfaErrorMessage({ code: "mfa_challenge_expired", message: "expired" })).toMatch(/again/);
    expect(mfaErrorMessage({ code: "other", message: "Something else" })).toBe("Something else");
  });

  it("recognises the database's step-up refusal", () => {
    expect(isStepUpRefusal(new Error("This project asks …: verify your second factor to approve high-risk actions Enter the code"))).toBe(
      true,
    );
    expect(isStepUpRefusal(new Error("Only operators and owners of this project can approve"))).toBe(false);
  });
});
