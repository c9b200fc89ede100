import type { TProposal } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { selectAgentProposals } from "./select-agent-proposals.ts";

const proposal = (id: string, patch: Partial<TProposal>): TProposal => ({
  id,
  project_id: "p1",
  action_type: "create_task",
  summary: id,
  params: {},
  params_hash: "h",
  risk: "low",
  blast_radius: "",
  reversibility: "reversible",
  rollback_plan: "",
  expires_at: "2026-12-01T10:00:00Z",
  proposed_by_agent_key: "lead",
  task_id: null,
  thread_id: null,
  revision_of: null,
  status: "proposed",
  resolved_by: null,
  resolved_at: null,
  resolution_comment: null,
  execution_started_at: null,
  finished_at: null,
  error: null,
  created_at: "2026-11-30T10:00:00Z",
  updated_at: "2026-11-30T10:00:00Z",
  seq: 1,
  ...patch,
});

describe("selectAgentProposals", () => {
  it("lists the agent's proposals newest first with counts per outcome", () => {
    const rows = [
      proposal("old", { status: "executed", created_at: "2026-11-29T10:00:00Z" }),
      proposal("new", { status: "failed", error: "host not allowed", created_at: "2026-11-30T12:00:00Z" }),
      proposal("mid", { status: "executed", created_at: "2026-11-30T09:00:00Z" }),
      proposal("someone-else", { proposed_by_agent_key: "qa" }),
      proposal("other-project", { project_id: "p2" }),
    ];
    const selected = selectAgentProposals(rows, "p1", "lead", 2);
    expect(selected.latest.map((p) => p.id)).toEqual(["new", "mid"]);
    expect(selected.counts).toEqual({ executed: 2, failed: 1 });
    expect(selected.total).toBe(3);
  });
});
