import type { TSkill, TSkillMirror } from "@mission-control/shared/rows";

/** The groups of the Skills page, in page order; `unchecked` holds skills no executor has checked yet. */
export const SKILL_GROUPS = [
  { status: "ready", label: "Ready" },
  { status: "needs_setup", label: "Needs setup" },
  { status: "blocked", label: "Blocked" },
  { status: "unchecked", label: "Not checked yet" },
] as const;

/** The group a skill is shown in. */
export type TSkillGroupStatus = (typeof SKILL_GROUPS)[number]["status"];

/** A skill with the executor's latest verdict on it (null: never checked). */
export type TSkillView = { skill: TSkill; verdict: TSkillMirror | null; status: TSkillGroupStatus };

/**
 * The project's skills with their verdicts, grouped Ready / Needs setup / Blocked (and Not checked
 * yet), each group sorted built-in first, then by name.
 */
export function groupSkills(
  skills: readonly TSkill[],
  verdicts: Readonly<Record<string, TSkillMirror>>,
  projectId: string,
): Record<TSkillGroupStatus, TSkillView[]> {
  const groups: Record<TSkillGroupStatus, TSkillView[]> = { ready: [], needs_setup: [], blocked: [], unchecked: [] };
  for (const skill of skills) {
    if (skill.project_id !== projectId) continue;
    const verdict = verdicts[skill.id] ?? null;
    const status = verdict?.status ?? "unchecked";
    groups[status].push({ skill, verdict, status });
  }
  for (const list of Object.values(groups)) {
    list.sort((a, b) => Number(b.skill.builtin) - Number(a.skill.builtin) || a.skill.name.localeCompare(b.skill.name));
  }
  return groups;
}

/** What a requirement asks for, in words: "Environment variable DEPLOY_TOKEN", "Program git on PATH". */
export function describeRequirement(requirement: { kind: string; name: string; value?: string }): string {
  switch (requirement.kind) {
    case "env":
      return `Environment variable ${requirement.name}`;
    case "program":
      return requirement.name.startsWith("setting:")
        ? `The program of the setting ${requirement.name.slice("setting:".length)} on PATH${requirement.value === "allowlisted" ? " and on RUN_TEST_ALLOWLIST" : ""}`
        : `Program ${requirement.name} on PATH${requirement.value === "allowlisted" ? " and on RUN_TEST_ALLOWLIST" : ""}`;
    case "file":
      return requirement.name === "." ? "The workspace folder" : `File ${requirement.name} in the workspace`;
    case "connection":
      if (requirement.name === "openai_compatible") return "An OpenAI-compatible connection with a key";
      if (requirement.name === "anthropic") return "An Anthropic connection with a key";
      return `A ${requirement.name} connection with a key`;
    case "setting":
      return `Project setting ${requirement.name}`;
    default:
      return `${requirement.kind} ${requirement.name}`;
  }
}
