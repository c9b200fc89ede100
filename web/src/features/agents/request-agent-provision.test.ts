import { AppError } from "@mission-control/shared/errors";
import { createProjectFixture, dropProjectFixture, type TMember, type TProjectFixture } from "@mission-control/supabase/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { requestAgentProvision } from "./request-agent-provision.ts";

let f: TProjectFixture;
beforeAll(async () => {
  f = await createProjectFixture("web-provision");
});
afterAll(async () => {
  await dropProjectFixture(f);
});

const as = (member: TMember) => member.client as unknown as TBrowserClient;

describe("requestAgentProvision (against the local stack)", () => {
  it("queues a create with the full profile, and a resend of the same id is a no-op", async () => {
    const requestId = crypto.randomUUID();
    const input = {
      requestId,
      projectId: f.projectId,
      action: "create" as const,
      agentKey: "reviewer",
      profile: { agent_key: "reviewer", display_name: "Reviewer", capabilities: ["sql"] },
    };
    const row = await requestAgentProvision(as(f.operator), input);
    expect(row).toMatchObject({
      id: requestId,
      action: "create",
      agent_key: "reviewer",
      status: "queued",
      requested_by: f.operator.userId,
    });
    expect(row.profile).toEqual(input.profile);
    const again = await requestAgentProvision(as(f.operator), input);
    expect(again.seq).toBe(row.seq);
  });

  it("records the agent's id on an update", async () => {
    const row = await requestAgentProvision(as(f.operator), {
      requestId: crypto.randomUUID(),
      projectId: f.projectId,
      action: "update",
      agentKey: f.agentKey,
      profile: { enabled: false },
    });
    expect(row.agent_id).not.toBeNull();
    expect(row.status).toBe("queued");
  });

  it("tells a viewer that only owners and operators change agents", async () => {
    const err = await requestAgentProvision(as(f.viewer), {
      requestId: crypto.randomUUID(),
      projectId: f.projectId,
      action: "update",
      agentKey: f.agentKey,
      profile: { enabled: false },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("forbidden");
    expect(err.message).toMatch(/Only owners and operators can change agents/);
  });

  it("lets only an owner ask to delete an agent", async () => {
    const input = { projectId: f.projectId, action: "delete" as const, agentKey: f.agentKey, profile: {} };
    const err = await requestAgentProvision(as(f.operator), { ...input, requestId: crypto.randomUUID() }).catch((e) => e);
    expect(err.code).toBe("forbidden");
    expect(err.message).toMatch(/Only owners can delete agents/);
    const row = await requestAgentProvision(as(f.owner), { ...input, requestId: crypto.randomUUID() });
    expect(row).toMatchObject({ action: "delete", status: "queued" });
  });
});
