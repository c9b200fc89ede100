import { describe, expect, it } from "vitest";
import { runEventRow } from "../../testing/test-rows.ts";
import { groupRunEventsByAgent } from "./group-run-events.ts";

const shape = (groups: ReturnType<typeof groupRunEventsByAgent>) =>
  groups.map((g) => `${g.agentKey}: ${g.events.map((e) => e.id).join(",")}`);

describe("groupRunEventsByAgent", () => {
  it("keeps one agent's events in one stretch, oldest first by seq", () => {
    const events = [runEventRow("b", { seq: 2 }), runEventRow("a", { seq: 1 }), runEventRow("c", { seq: 3 })];
    expect(shape(groupRunEventsByAgent(events, "backend"))).toEqual(["backend: a,b,c"]);
  });

  it("switches agent at a hand-off, and gives the new agent the events without an agent after it", () => {
    const events = [
      runEventRow("read", { seq: 1 }),
      runEventRow("hand", { seq: 2, kind: "handoff", data: { from: "backend", to: "frontend", note: "UI part" } }),
      runEventRow("status", { seq: 3, agent_key: null, kind: "status" }),
      runEventRow("write", { seq: 4, agent_key: "frontend" }),
    ];
    expect(shape(groupRunEventsByAgent(events, "backend"))).toEqual(["backend: read,hand", "frontend: status,write"]);
  });

  it("keeps a status change with whoever holds the run after a hand-off, whatever agent it names", () => {
    const events = [
      runEventRow("hand", { seq: 1, kind: "handoff", data: { from: "backend", to: "frontend" } }),
      runEventRow("work", { seq: 2, agent_key: "frontend" }),
      runEventRow("done", { seq: 3, agent_key: "backend", kind: "status" }),
    ];
    expect(shape(groupRunEventsByAgent(events, "backend"))).toEqual(["backend: hand", "frontend: work,done"]);
  });

  it("puts a status the database wrote before anyone spoke under the run's agent", () => {
    const events = [runEventRow("queued", { seq: 1, agent_key: null, kind: "status" }), runEventRow("plan", { seq: 2 })];
    expect(shape(groupRunEventsByAgent(events, "backend"))).toEqual(["backend: queued,plan"]);
  });

  it("does not treat a hand-off to the operator as a new agent", () => {
    const events = [
      runEventRow("fail", { seq: 1, kind: "test_result" }),
      runEventRow("hand", { seq: 2, kind: "handoff", data: { to: "operator" } }),
      runEventRow("end", { seq: 3, agent_key: null, kind: "status" }),
    ];
    expect(shape(groupRunEventsByAgent(events, "backend"))).toEqual(["backend: fail,hand,end"]);
  });

  it("starts a new stretch when another agent writes without a hand-off event", () => {
    const events = [runEventRow("a", { seq: 1 }), runEventRow("b", { seq: 2, agent_key: "lead" }), runEventRow("c", { seq: 3 })];
    expect(shape(groupRunEventsByAgent(events, "backend"))).toEqual(["backend: a", "lead: b", "backend: c"]);
  });
});
