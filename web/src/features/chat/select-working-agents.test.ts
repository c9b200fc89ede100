import type { TChatDelivery } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { describeWorking, selectWorkingAgents } from "./select-working-agents.ts";

const d = (agent_key: string, status: TChatDelivery["status"]) => ({ agent_key, status }) as TChatDelivery;

describe("selectWorkingAgents", () => {
  it("lists each agent with a claimed delivery once, sorted; queued, processed and failed are not work", () => {
    const byMessage = new Map([
      ["m1", [d("web", "delivered"), d("lead", "processed")]],
      ["m2", [d("lead", "delivered"), d("web", "delivered"), d("ops", "queued"), d("qa", "failed")]],
    ]);
    expect(selectWorkingAgents(byMessage)).toEqual(["lead", "web"]);
    expect(selectWorkingAgents(new Map())).toEqual([]);
  });
});

describe("describeWorking", () => {
  it("says who is working in words", () => {
    expect(describeWorking([])).toBe("");
    expect(describeWorking(["Lead"])).toBe("Lead is working…");
    expect(describeWorking(["Lead", "Web"])).toBe("Lead and Web are working…");
    expect(describeWorking(["A", "B", "C"])).toBe("A, B and C are working…");
    expect(describeWorking(["A", "B", "C", "D"])).toBe("A, B and 2 more are working…");
  });
});
