import type { TSkill, TSkillMirror } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { describeRequirement, groupSkills } from "./group-skills.ts";

const P = "p1";

function skill(id: string, name: string, builtin = false, projectId = P): TSkill {
  return {
    id,
    project_id: projectId,
    key: id,
    name,
    description: "",
    requirements: [],
    setup_steps: [],
    tools: [],
    builtin,
    created_by: null,
    created_at: "2026-12-01T00:00:00Z",
    updated_at: "2026-12-01T00:00:00Z",
    seq: 1,
  };
}

function verdict(skillId: string, status: TSkillMirror["status"]): TSkillMirror {
  return {
    skill_id: skillId,
    project_id: P,
    status,
    results: [],
    reasons: [],
    checked_at: "2026-12-01T00:00:00Z",
    checked_by: "ex",
    seq: 2,
  };
}

describe("groupSkills", () => {
  it("groups by the latest verdict, built-in first then by name, and leaves other projects out", () => {
    const groups = groupSkills(
      [
        skill("a", "Zeta"),
        skill("b", "Alpha"),
        skill("c", "Git", true),
        skill("d", "Deploy"),
        skill("e", "Elsewhere", false, "p2"),
        skill("f", "New"),
      ],
      { a: verdict("a", "ready"), b: verdict("b", "ready"), c: verdict("c", "ready"), d: verdict("d", "blocked") },
      P,
    );
    expect(groups.ready.map((view) => view.skill.name)).toEqual(["Git", "Alpha", "Zeta"]);
    expect(groups.blocked.map((view) => view.skill.name)).toEqual(["Deploy"]);
    expect(groups.needs_setup).toEqual([]);
    expect(groups.unchecked.map((view) => [view.skill.name, view.verdict])).toEqual([["New", null]]);
  });
});

describe("describeRequirement", () => {
  it("says what each kind asks for", () => {
    expect(describeRequirement({ kind: "env", name: "TOKEN" })).toBe("Environment variable TOKEN");
    expect(describeRequirement({ kind: "program", name: "setting:runs.test_command", value: "allowlisted" })).toBe(
      "The program of the setting runs.test_command on PATH and on RUN_TEST_ALLOWLIST",
    );
    expect(describeRequirement({ kind: "file", name: "." })).toBe("The workspace folder");
    expect(describeRequirement({ kind: "connection", name: "anthropic" })).toBe("An Anthropic connection with a key");
  });
});
