import { describe, expect, it } from "vitest";
import { newPasswordProblem } from "./new-password-draft.ts";

describe("newPasswordProblem", () => {
  it("accepts a long enough password typed twice", () => {
    expect(newPasswordProblem("correct horse", "correct horse")).toBeNull();
  });

  it("says what is wrong: too short, too long, or not repeated", () => {
    expect(newPasswordProblem("short", "short")).toBe("Choose a password of at least 8 characters.");
    expect(newPasswordProblem("é".repeat(40), "é".repeat(40))).toMatch(/^Choose a shorter password: at most 72 bytes/);
    expect(newPasswordProblem("correct horse", "correct horses")).toBe("The two passwords differ: type the same password in both fields.");
  });
});
