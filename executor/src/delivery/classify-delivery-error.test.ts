import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { classifyDeliveryError } from "./classify-delivery-error.ts";

const failure = (code: ConstructorParameters<typeof AppError>[0]) =>
  classifyDeliveryError(new AppError(code, { message: `it was ${code}` }));

describe("classifyDeliveryError", () => {
  it("retries rate limits, outages, timeouts and database blips", () => {
    for (const code of ["provider_rate_limited", "provider_unreachable", "provider_timeout", "timeout", "database_unreachable"] as const) {
      expect(failure(code)).toEqual({ kind: "transient", reason: `it was ${code}`, code });
    }
  });

  it("fails at once on bad configuration, rejected requests, missing agents and the posting limit", () => {
    for (const code of ["config_invalid", "provider_bad_response", "not_found", "forbidden", "invalid_input"] as const) {
      expect(failure(code).kind).toBe("permanent");
    }
  });

  it("fails at once, with the reason in words, when a hard budget is reached", () => {
    expect(failure("budget_exceeded")).toEqual({ kind: "permanent", reason: "it was budget_exceeded", code: "budget_exceeded" });
  });

  it("drops the reply when the claim was lost", () => {
    expect(failure("conflict").kind).toBe("claim_lost");
  });

  it("treats plain errors as transient internal errors", () => {
    expect(classifyDeliveryError(new Error("boom"))).toEqual({ kind: "transient", reason: "boom", code: "internal" });
  });
});
