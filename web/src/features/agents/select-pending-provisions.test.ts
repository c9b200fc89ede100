import type { TProvisionRequest } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { describeProvisionRequest, selectPendingProvisions } from "./select-pending-provisions.ts";

let seq = 0;
const request = (patch: Partial<TProvisionRequest>): TProvisionRequest => {
  seq += 1;
  return {
    id: `r${seq}`,
    project_id: "p1",
    action: "update",
    agent_id: "a1",
    agent_key: "lead",
    profile: {},
    status: "queued",
    error: null,
    requested_by: "u1",
    created_at: `2026-11-30T10:00:${String(seq).padStart(2, "0")}Z`,
    applied_at: null,
    applied_by: null,
    seq,
    ...patch,
  };
};

describe("selectPendingProvisions", () => {
  it("lists queued and failed requests newest first and leaves applied ones out", () => {
    const queued = request({ action: "create", agent_id: null, agent_key: "backend", profile: { agent_key: "backend" } });
    const applied = request({ status: "applied", agent_key: "qa", agent_id: "a2" });
    const failed = request({
      status: "failed",
      error: "An agent with key ops already exists",
      agent_key: "ops",
      agent_id: null,
      action: "create",
    });
    const pending = selectPendingProvisions([queued, applied, failed], "p1");
    expect(pending.map((p) => [p.request.id, p.state])).toEqual([
      [failed.id, "failed"],
      [queued.id, "queued"],
    ]);
  });

  it("drops a failure once a later request for the same agent exists, or when it is dismissed", () => {
    const failed = request({ status: "failed", error: "bad", profile: { model: "x" } });
    const retried = request({ status: "applied", profile: { model: "y" } });
    expect(selectPendingProvisions([failed, retried], "p1")).toEqual([]);
    const alone = request({ status: "failed", error: "bad", agent_key: "qa", agent_id: "a3" });
    expect(selectPendingProvisions([alone], "p1", { dismissed: new Set([alone.id]) })).toEqual([]);
    expect(selectPendingProvisions([alone], "p1")).toHaveLength(1);
  });

  it("keeps only one agent's requests when asked, and only the project's", () => {
    const mine = request({ agent_key: "lead", agent_id: "a1" });
    const other = request({ agent_key: "qa", agent_id: "a2" });
    const elsewhere = request({ project_id: "p2" });
    expect(
      selectPendingProvisions([mine, other, elsewhere], "p1", { agent: { id: "a1", agent_key: "lead" } }).map((p) => p.request.id),
    ).toEqual([mine.id]);
  });

  it("does not show an agent a refused create that reused its key, but shows a queued create on the page of the agent it will make", () => {
    const clash = request({
      action: "create",
      agent_id: null,
      agent_key: "lead",
      status: "failed",
      error: "An agent with key lead already exists",
    });
    expect(selectPendingProvisions([clash], "p1", { agent: { id: "a1", agent_key: "lead" } })).toEqual([]);
    const coming = request({ action: "create", agent_id: null, agent_key: "backend" });
    expect(selectPendingProvisions([coming], "p1", { agent: { id: "", agent_key: "backend" } }).map((p) => p.request.id)).toEqual([
      coming.id,
    ]);
  });
});

describe("describeProvisionRequest", () => {
  it("says what each request asks for in words", () => {
    expect(describeProvisionRequest(request({ action: "create", agent_key: "backend" }))).toBe("Create @backend");
    expect(describeProvisionRequest(request({ action: "delete" }))).toBe("Delete @lead");
    expect(describeProvisionRequest(request({ profile: { enabled: false } }))).toBe("Disable @lead");
    expect(describeProvisionRequest(request({ profile: { model: "gpt-4o", provider: "connection", provider_connection_id: "c1" } }))).toBe(
      "Update @lead: Model, Provider",
    );
    expect(describeProvisionRequest(request({ profile: { agent_key: "chief", role: "Leads" } }))).toBe(
      "Rename @lead to @chief and change Role",
    );
  });
});
