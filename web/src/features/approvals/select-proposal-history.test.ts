import type { TProposal } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { effectiveStatus, NO_HISTORY_FILTER, selectProposalHistory } from "./select-proposal-history.ts";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const p = (id: string, over: Partial<TProposal>): TProposal =>
  ({
    id,
    project_id: "p1",
    action_type: "send_message",
    params: {},
    status: "executed",
    proposed_by_agent_key: "lead",
    created_at: "2026-11-30T08:00:00Z",
    updated_at: "2026-11-30T09:00:00Z",
    expires_at: "2026-12-02T08:00:00Z",
    resolved_at: "2026-11-30T09:00:00Z",
    finished_at: null,
    ...over,
  }) as TProposal;

const rows = Object.fromEntries(
  [
    p("waiting", { status: "proposed", resolved_at: null }),
    p("lapsed", { status: "proposed", resolved_at: null, expires_at: "2026-12-01T10:00:00Z" }),
    p("done", { finished_at: "2026-12-01T09:30:00Z" }),
    p("no", { status: "rejected", action_type: "file_write", proposed_by_agent_key: "web", resolved_at: "2026-11-29T10:00:00Z" }),
    p("broke", { status: "failed", finished_at: "2026-11-30T11:00:00Z" }),
    p("other", { project_id: "p2" }),
  ].map((row) => [row.id, row]),
);

describe("selectProposalHistory", () => {
  it("lists every proposal no longer waiting, newest outcome first; an undecided one past expiry counts as expired", () => {
    expect(selectProposalHistory(rows, "p1", NO_HISTORY_FILTER, NOW).map((r) => r.id)).toEqual(["lapsed", "done", "broke", "no"]);
    expect(effectiveStatus(rows.lapsed as TProposal, NOW)).toBe("expired");
  });

  it("filters by status, agent, action type and date range", () => {
    const run = (f: Partial<typeof NO_HISTORY_FILTER>) =>
      selectProposalHistory(rows, "p1", { ...NO_HISTORY_FILTER, ...f }, NOW).map((r) => r.id);
    expect(run({ status: "expired" })).toEqual(["lapsed"]);
    expect(run({ status: "failed" })).toEqual(["broke"]);
    expect(run({ agent: "web" })).toEqual(["no"]);
    expect(run({ actionType: "file_write" })).toEqual(["no"]);
    expect(run({ since: "2026-11-30", until: "2026-11-30" })).toEqual(["broke"]);
    expect(run({ since: "2026-12-01" })).toEqual(["lapsed", "done"]);
    expect(run({ until: "2026-11-29" })).toEqual(["no"]);
  });
});
