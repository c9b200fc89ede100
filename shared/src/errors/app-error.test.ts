import { describe, expect, it } from "vitest";
import { AppError, coerceError } from "./app-error.ts";

describe("coerceError", () => {
  it("passes an AppError through unchanged", () => {
    const err = new AppError("not_found", { message: "Task 1 not found: refresh the board" });
    expect(coerceError(err)).toBe(err);
  });

  it("wraps a plain Error with the fallback code and keeps it as the cause", () => {
    const cause = new Error("socket hang up");
    const err = coerceError(cause, "provider_unreachable");
    expect(err.code).toBe("provider_unreachable");
    expect(err.message).toBe("socket hang up");
    expect(err.cause).toBe(cause);
  });

  it("describes values that are not errors", () => {
    expect(coerceError({ status: 5 }).message).toBe('Unexpected error: {"status":5}');
    expect(coerceError("boom").code).toBe("internal");
  });
});
