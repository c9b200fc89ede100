import type { TActivity } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { filterActivities } from "./filter-activities.ts";

const row = (id: string, over: Partial<TActivity>): TActivity => ({
  id,
  project_id: "p1",
  actor_type: "agent",
  actor: "lead",
  kind: "chat.replied",
  summary: id,
  ref: {},
  created_at: `2026-11-21T08:00:0${id.length}Z`,
  seq: 1,
  ...over,
});
const rows = [
  row("a", {}),
  row("bb", { actor: "web", kind: "approval.proposed" }),
  row("ccc", { actor_type: "user", actor: "u1", kind: "task.status_changed" }),
  row("dddd", { actor_type: "system", actor: "system", kind: "approval.expired" }),
  row("x", { project_id: "p2" }),
];

describe("filterActivities", () => {
  it("shows the project's feed newest first without filters", () => {
    expect(filterActivities(rows, "p1", { actor: "", type: "" }).map((a) => a.id)).toEqual(["dddd", "ccc", "bb", "a"]);
  });

  it("narrows by agent, by people and by type", () => {
    expect(filterActivities(rows, "p1", { actor: "web", type: "" }).map((a) => a.id)).toEqual(["bb"]);
    expect(filterActivities(rows, "p1", { actor: "people", type: "" }).map((a) => a.id)).toEqual(["ccc"]);
    expect(filterActivities(rows, "p1", { actor: "", type: "approval" }).map((a) => a.id)).toEqual(["dddd", "bb"]);
    expect(filterActivities(rows, "p1", { actor: "lead", type: "approval" })).toEqual([]);
  });
});
