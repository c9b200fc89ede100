import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { requestApprovalExecution } from "./request-approval-execution.ts";

const base = { controlApiUrl: "http://control", accessToken: "jwt", proposalId: "11111111-2222-4333-8444-555555555555" };

describe("requestApprovalExecution", () => {
  it("posts to the proposal's execute route with the user's token", async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    await requestApprovalExecution({
      ...base,
      fetch: async (url, init) => {
        calls.push({ url: String(url), init });
        return new Response(JSON.stringify({ proposal_id: base.proposalId, claimed: true, status: "executing" }), { status: 202 });
      },
    });
    expect(calls[0]?.url).toBe("http://control/api/approvals/11111111-2222-4333-8444-555555555555/execute");
    expect(calls[0]?.init?.method).toBe("POST");
    const headers = (calls[0]?.init?.headers ?? {}) as Record<string, string>;
    expect(headers.authorization).toBe("Bearer jwt");
  });

  it("counts a 2xx whose body it cannot read as taken", async () => {
    await expect(
      requestApprovalExecution({ ...base, fetch: async () => new Response(JSON.stringify({ ok: 1 }), { status: 202 }) }),
    ).resolves.toBeUndefined();
  });

  it("treats a 404 (an executor without the route) as unreachable: the approval waits for the worker", async () => {
    const err = await requestApprovalExecution({ ...base, fetch: async () => new Response("no route", { status: 404 }) }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("control_api_unreachable");
    expect(err.message).toMatch(/HTTP 404.*the approval is saved/);
  });

  it("treats a network error as unreachable", async () => {
    const err = await requestApprovalExecution({
      ...base,
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    }).catch((e) => e);
    expect(err.code).toBe("control_api_unreachable");
    expect(err.message).toMatch(/unreachable at http:\/\/control/);
  });
});
