import { describe, expect, it } from "vitest";
import { runRow } from "../../testing/test-rows.ts";
import { selectRuns, selectTaskRuns } from "./select-runs.ts";

const runs = {
  done: runRow("done", { status: "completed", created_at: "2026-12-01T10:05:00Z" }),
  old: runRow("old", { status: "running", created_at: "2026-12-01T09:00:00Z", agent_key: "frontend", participants: ["frontend"] }),
  queued: runRow("queued", { status: "queued", created_at: "2026-12-01T10:01:00Z", task_id: "t2" }),
  handed: runRow("handed", { status: "failed", agent_key: "lead", participants: ["lead", "frontend"], created_at: "2026-12-01T08:00:00Z" }),
  other: runRow("other", { project_id: "p2" }),
};

describe("selectRuns", () => {
  it("lists active runs first, each group newest first, only the project's", () => {
    expect(selectRuns(runs, "p1", { show: "all", agentKey: null }).map((r) => r.id)).toEqual(["queued", "old", "done", "handed"]);
  });

  it("shows only what is not over when asked for active runs", () => {
    expect(selectRuns(runs, "p1", { show: "active", agentKey: null }).map((r) => r.id)).toEqual(["queued", "old"]);
  });

  it("keeps an agent's runs, including the ones it took over in a hand-off", () => {
    expect(selectRuns(runs, "p1", { show: "all", agentKey: "frontend" }).map((r) => r.id)).toEqual(["old", "handed"]);
  });
});

describe("selectTaskRuns", () => {
  it("lists a task's runs newest first", () => {
    expect(selectTaskRuns(runs, "t1").map((r) => r.id)).toEqual(["done", "other", "old", "handed"]);
  });
});
