import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { wakeRun } from "./wake-run.ts";

const base = { controlApiUrl: "http://control", accessToken: "jwt", runId: "11111111-2222-4333-8444-555555555555" };

describe("wakeRun", () => {
  it("posts to the run's wake route with the operator's token", async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    await wakeRun({
      ...base,
      fetch: async (url, init) => {
        calls.push({ url: String(url), init });
        return new Response(JSON.stringify({ run_id: base.runId, status: "cancelled" }), { status: 202 });
      },
    });
    expect(calls[0]?.url).toBe(`http://control/api/runs/${base.runId}/wake`);
    expect(calls[0]?.init?.method).toBe("POST");
    expect(((calls[0]?.init?.headers ?? {}) as Record<string, string>).authorization).toBe("Bearer jwt");
  });

  it("says the work is saved when the executor cannot be reached", async () => {
    const err = await wakeRun({
      ...base,
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("control_api_unreachable");
    expect((err as AppError).message).toContain("it is saved");
  });
});
