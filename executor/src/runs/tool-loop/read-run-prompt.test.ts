import { describe, expect, it } from "vitest";
import { buildRunSystemPrompt } from "./build-run-system-prompt.ts";
import { buildRunTools } from "./build-run-tools.ts";
import { readBriefReviews, readRunGoal, readRunMode } from "./read-run-prompt.ts";

describe("the run prompt", () => {
  it("states the mode on its own line, the tools by kind and the step cap", () => {
    const system = buildRunSystemPrompt({
      agentPrompt: "You are Nova.",
      mode: "implement",
      tools: buildRunTools(["read_file", "apply_changeset"]),
      maxSteps: 7,
    });
    expect(readRunMode(system)).toBe("implement");
    expect(system).toContain("Read-only tools, run at once: read_file.");
    expect(system).toContain("only propose it; an operator approves or rejects: propose_changeset.");
    expect(system).toContain("at most 7 model steps");
    expect(readRunMode("You are Nova.")).toBeNull();
    expect(readRunMode("Run mode: sing")).toBeNull();
  });

  it("reads the goal of a run brief up to its next section", () => {
    const brief = [
      "Goal (implement run, iteration 1):\nFix the login page",
      "The button does nothing.",
      "Constraints:\nNo new dependencies",
      "Task 6f0c8f7e-4d7a-4c7e-9d55-2f1b8f0c1a11: Fix the login page\nStatus: in_progress",
    ].join("\n\n");
    expect(readRunGoal(brief)).toBe("Fix the login page\n\nThe button does nothing.");
    expect(readRunGoal("just a message")).toBe("just a message");
  });

  it("reads the review comments of a revision brief", () => {
    expect(
      readBriefReviews("Review comments to address:\n- [revise] src/a.ts:12: Rename it\n- [nit]: Typo somewhere\n- not a review"),
    ).toEqual([
      { kind: "revise", path: "src/a.ts", line: 12, comment: "Rename it" },
      { kind: "nit", path: null, line: null, comment: "Typo somewhere" },
    ]);
  });
});
