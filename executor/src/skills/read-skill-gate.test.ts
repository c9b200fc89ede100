import type { TAgentTool } from "@mission-control/shared/schemas";
import { describe, expect, it } from "vitest";
import { appendSkillNotes, applySkillGate } from "./read-skill-gate.ts";

const tool = (agentTool: TAgentTool, name: string = agentTool) => ({ agentTool, name });
const TOOLS = [tool("read_file"), tool("search_text"), tool("api_call"), tool("apply_changeset", "propose_changeset")];

describe("applySkillGate", () => {
  it("withholds the tools of skills that are not ready and says why, one line per skill", () => {
    const gated = applySkillGate(TOOLS, {
      unready: [
        {
          name: "Call HTTP APIs",
          status: "needs_setup",
          tools: ["api_call"],
          reasons: ["The project setting api_allowlist.hosts is missing or empty"],
        },
        {
          name: "Outside",
          status: "blocked",
          tools: ["read_file", "search_text"],
          reasons: ["../x is outside the workspace", "FOO is not set"],
        },
        { name: "Unrelated", status: "needs_setup", tools: ["hand_off"], reasons: ["nope"] },
      ],
    });
    expect(gated.tools.map((t) => t.name)).toEqual(["propose_changeset"]);
    expect(gated.notes).toEqual([
      'Skill "Call HTTP APIs" needs setup: The project setting api_allowlist.hosts is missing or empty. Not available in this run: api_call.',
      'Skill "Outside" blocked: ../x is outside the workspace; FOO is not set. Not available in this run: read_file, search_text.',
    ]);
  });

  it("offers every tool when every gating skill is ready", () => {
    const gated = applySkillGate(TOOLS, { unready: [] });
    expect(gated).toEqual({ tools: TOOLS, notes: [] });
    expect(appendSkillNotes("prompt", gated.notes)).toBe("prompt");
  });

  it("appends a Skills not ready section to the system prompt", () => {
    const system = appendSkillNotes("prompt", ["line one"]);
    expect(system).toMatch(/^prompt\n\n# Skills not ready\n\nline one\nDo not try these tools/);
  });
});
