import type { TAgent, TAgentStatus } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { nextReadDelay } from "./read-throttle.ts";
import { selectWorkingAgents } from "./select-working-agents.ts";

const agent = (id: string, name: string, fields: Partial<TAgent> = {}) =>
  ({ id, project_id: "p1", display_name: name, enabled: true, ...fields }) as TAgent;
const status = (agentId: string, value: TAgentStatus["status"], action = "") =>
  ({ agent_id: agentId, project_id: "p1", status: value, current_action: action }) as TAgentStatus;

describe("selectWorkingAgents", () => {
  it("lists the enabled agents working now by name, and counts those in error", () => {
    const agents = {
      a: agent("a", "Web"),
      b: agent("b", "Backend"),
      c: agent("c", "Docs"),
      d: agent("d", "Retired", { enabled: false }),
      e: agent("e", "Elsewhere", { project_id: "p2" }),
    };
    const statuses = {
      a: status("a", "working", "Writing the page"),
      b: status("b", "working"),
      c: status("c", "error"),
      d: status("d", "working"),
      e: status("e", "working"),
    };
    const result = selectWorkingAgents(agents, statuses, "p1");
    expect(result.working.map((w) => [w.agent.display_name, w.action])).toEqual([
      ["Backend", ""],
      ["Web", "Writing the page"],
    ]);
    expect(result.enabled).toBe(3);
    expect(result.inError).toBe(1);
  });

  it("counts an agent without a status row as not working", () => {
    expect(selectWorkingAgents({ a: agent("a", "Web") }, {}, "p1")).toEqual({ working: [], enabled: 1, inError: 0 });
  });
});

describe("nextReadDelay", () => {
  it("reads at once the first time and when the last read is old enough, otherwise when it will be", () => {
    expect(nextReadDelay(null, 10_000, 2_000)).toBe(0);
    expect(nextReadDelay(5_000, 10_000, 2_000)).toBe(0);
    expect(nextReadDelay(9_500, 10_000, 2_000)).toBe(1_500);
  });
});
