import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { notifyAgentProvision } from "./notify-agent-provision.ts";

const requestId = "11111111-2222-4333-8444-555555555555";
const base = { controlApiUrl: "http://control", accessToken: "jwt", requestId };

describe("notifyAgentProvision", () => {
  it("posts the request id with the user's token and returns the executor's answer", async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const answer = await notifyAgentProvision({
      ...base,
      fetch: async (url, init) => {
        calls.push({ url: String(url), init });
        return new Response(
          JSON.stringify({ request_id: requestId, status: "failed", agent_id: null, error: "An agent with key lead already exists" }),
          {
            status: 200,
          },
        );
      },
    });
    expect(calls[0]?.url).toBe("http://control/api/agents/provision");
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ request_id: requestId });
    expect(((calls[0]?.init?.headers ?? {}) as Record<string, string>).authorization).toBe("Bearer jwt");
    expect(answer).toEqual({ request_id: requestId, status: "failed", agent_id: null, error: "An agent with key lead already exists" });
  });

  it("returns null for a 2xx it cannot read: the request row says what happened", async () => {
    await expect(notifyAgentProvision({ ...base, fetch: async () => new Response("{}", { status: 200 }) })).resolves.toBeNull();
  });

  it("says the change is saved and waits when the Control API answers an error", async () => {
    const err = await notifyAgentProvision({ ...base, fetch: async () => new Response("no route", { status: 404 }) }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("control_api_unreachable");
    expect(err.message).toMatch(/HTTP 404.*the change is saved/);
  });

  it("says the change applies when the executor is back when nothing answers", async () => {
    const err = await notifyAgentProvision({
      ...base,
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    }).catch((e) => e);
    expect(err.code).toBe("control_api_unreachable");
    expect(err.message).toMatch(/unreachable at http:\/\/control: the change is saved and applies when the executor is back/);
  });
});
