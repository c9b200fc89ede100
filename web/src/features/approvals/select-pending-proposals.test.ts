import { describe, expect, it } from "vitest";
import { proposalRow } from "../../testing/test-rows.ts";
import { selectPendingProposals } from "./select-pending-proposals.ts";

const now = Date.parse("2026-11-21T12:00:00Z");

describe("selectPendingProposals", () => {
  it("lists only this project's proposed, unexpired proposals, oldest first", () => {
    const rows = {
      new: proposalRow("new", { created_at: "2026-11-21T11:00:00Z" }),
      old: proposalRow("old", { created_at: "2026-11-21T09:00:00Z" }),
      done: proposalRow("done", { status: "approved" }),
      other: proposalRow("other", { project_id: "p2" }),
      late: proposalRow("late", { expires_at: "2026-11-21T11:59:00Z" }),
    };
    expect(selectPendingProposals(rows, "p1", now).map((p) => p.id)).toEqual(["old", "new"]);
  });

  it("is empty when nothing waits", () => {
    expect(selectPendingProposals({}, "p1", now)).toEqual([]);
  });
});
