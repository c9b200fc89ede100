import { describe, expect, it } from "vitest";
import { checkProposalAllowed } from "./check-proposal-allowed.ts";

const agent = (tools: string[], risk_tolerance: string) => ({ agent_key: "lead", tools_enabled: tools, risk_tolerance });

describe("checkProposalAllowed", () => {
  it("refuses an action that is not among the agent's tools, naming its tools and what to do", () => {
    expect(checkProposalAllowed(agent(["create_task"], "high"), { action_type: "file_write", risk: "low" })).toBe(
      "@lead may not use file_write (its tools: create_task); an operator can enable it on the agent's page",
    );
  });

  it("says so when the agent has no tools at all", () => {
    expect(checkProposalAllowed(agent([], "high"), { action_type: "create_task", risk: "low" })).toMatch(
      /may not use create_task \(it has no tools enabled\)/,
    );
  });

  it("caps the risk at the agent's tolerance: low allows low only, medium up to medium, high all", () => {
    const risks = ["low", "medium", "high"];
    const allowed = (tolerance: string) =>
      risks.filter((risk) => checkProposalAllowed(agent(["create_task"], tolerance), { action_type: "create_task", risk }) === null);
    expect(allowed("low")).toEqual(["low"]);
    expect(allowed("medium")).toEqual(["low", "medium"]);
    expect(allowed("high")).toEqual(["low", "medium", "high"]);
  });

  it("explains a refused risk in words", () => {
    expect(checkProposalAllowed(agent(["create_task"], "low"), { action_type: "create_task", risk: "medium" })).toBe(
      "@lead may propose risk up to low, and this proposal is medium risk (its risk tolerance is low); an operator can raise it on the agent's page",
    );
  });
});
