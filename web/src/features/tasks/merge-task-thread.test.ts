import { describe, expect, it } from "vitest";
import { eventRow, proposalRow, taskRow } from "../../testing/test-rows.ts";
import { mergeTaskThread } from "./merge-task-thread.ts";

const task = taskRow("t1", { created_at: "2026-11-21T08:00:00Z", description: "Do it" });
const at = (s: number) => `2026-11-21T08:00:${String(s).padStart(2, "0")}Z`;

describe("mergeTaskThread", () => {
  it("puts the description first and everything else in the order it happened, not by seq", () => {
    const items = mergeTaskThread({
      task,
      events: [
        eventRow("later", { created_at: at(20), seq: 1 }),
        eventRow("earlier", { created_at: at(10), seq: 99 }),
        eventRow("other-task", { task_id: "t2", created_at: at(5) }),
      ],
      proposals: [],
    });
    expect(items.map((i) => i.key)).toEqual(["task:t1", "event:earlier", "event:later"]);
  });

  it("shows one approval card per proposal at its request, and its outcome events after it", () => {
    const proposal = proposalRow("p1", { created_at: at(3) });
    const items = mergeTaskThread({
      task,
      events: [
        eventRow("req", { kind: "approval_request", proposal_id: "p1", author_type: "agent", author_agent_key: "web", created_at: at(3) }),
        eventRow("res", { kind: "approval_resolved", proposal_id: "p1", created_at: at(3) }),
      ],
      proposals: [proposal],
    });
    expect(items.map((i) => i.key)).toEqual(["task:t1", "proposal:p1", "event:res"]);
    const card = items[1];
    expect(card?.kind === "approval" && card.proposal?.id).toBe("p1");
  });

  it("shows a card for a proposal of the task whose request event is not loaded yet", () => {
    const items = mergeTaskThread({
      task,
      events: [],
      proposals: [proposalRow("p2", { created_at: at(7) }), proposalRow("px", { task_id: "t9" })],
    });
    expect(items.map((i) => i.key)).toEqual(["task:t1", "proposal:p2"]);
  });

  it("reads legacy comments and outputs, but shows a backfilled one only once", () => {
    const items = mergeTaskThread({
      task,
      events: [eventRow("copied", { legacy_source: "task_comments", legacy_id: "c1", created_at: at(1) })],
      proposals: [],
      legacyComments: [
        { id: "c1", task_id: "t1", author: "old", body: "copied", created_at: at(1) },
        { id: "c2", task_id: "t1", author: "old", body: "not yet copied", created_at: at(2) },
      ],
      legacyOutputs: [{ id: "o1", task_id: "t1", author: "old", title: "Report", content: "x", url: null, created_at: at(4) }],
    });
    expect(items.map((i) => i.key)).toEqual(["task:t1", "event:copied", "legacy-comment:c2", "legacy-output:o1"]);
  });
});
