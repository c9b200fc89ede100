import type { TAgentTool } from "@mission-control/shared/schemas";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** A skill of the project that gates tools and is not ready, with why. */
export type TUnreadySkill = { name: string; status: string; tools: readonly TAgentTool[]; reasons: readonly string[] };

/** What withholds tools from a project's runs: the skills that unlock tools and are not ready. */
export type TSkillGate = { unready: readonly TUnreadySkill[] };

/**
 * Reads the project's skills that unlock tools and their latest verdict (skills_mirror). A skill
 * never checked yet does not withhold its tools (the executor checks every skill when it starts,
 * before it claims runs); a skill whose verdict is needs_setup or blocked does.
 */
export async function readSkillGate(db: TDb, projectId: string): Promise<TSkillGate> {
  const skills = await db.from("skills").select("id, name, tools").eq("project_id", projectId);
  if (skills.error) throw readDbError(skills.error, "Could not read the project's skills", "database_unreachable");
  const gating = skills.data.filter((skill) => skill.tools.length > 0);
  if (gating.length === 0) return { unready: [] };
  const mirror = await db
    .from("skills_mirror")
    .select("skill_id, status, reasons")
    .in(
      "skill_id",
      gating.map((skill) => skill.id),
    );
  if (mirror.error) throw readDbError(mirror.error, "Could not read the project's skill checks", "database_unreachable");
  const verdicts = new Map(mirror.data.map((row) => [row.skill_id, row]));
  const unready: TUnreadySkill[] = [];
  for (const skill of gating) {
    const verdict = verdicts.get(skill.id);
    if (!verdict || verdict.status === "ready") continue;
    unready.push({ name: skill.name, status: verdict.status, tools: skill.tools as TAgentTool[], reasons: verdict.reasons });
  }
  return { unready };
}

/**
 * Withholds the tools of the skills that are not ready: returns the tools still offered and one
 * line per skill that withheld one of them, for the system prompt ("… is not ready: <reason>; not
 * available in this run: read_file, …"), so the agent can say what is missing instead of guessing.
 */
export function applySkillGate<TTool extends { agentTool: TAgentTool; name: string }>(
  tools: readonly TTool[],
  gate: TSkillGate,
): { tools: TTool[]; notes: string[] } {
  const notes: string[] = [];
  const withheld = new Set<TAgentTool>();
  for (const skill of gate.unready) {
    const hit = tools.filter((tool) => skill.tools.includes(tool.agentTool));
    if (hit.length === 0) continue;
    for (const tool of hit) withheld.add(tool.agentTool);
    const why = skill.reasons.length > 0 ? skill.reasons.join("; ") : "its last check failed";
    const state = skill.status === "blocked" ? "blocked" : "needs setup";
    notes.push(`Skill "${skill.name}" ${state}: ${why}. Not available in this run: ${hit.map((tool) => tool.name).join(", ")}.`);
  }
  return { tools: tools.filter((tool) => !withheld.has(tool.agentTool)), notes };
}

/** The system prompt with a "Skills not ready" section when a skill withheld tools. */
export function appendSkillNotes(system: string, notes: readonly string[]): string {
  if (notes.length === 0) return system;
  return [
    system,
    "# Skills not ready",
    [...notes, "Do not try these tools; if the goal needs them, say which skill an operator must set up (Skills page)."].join("\n"),
  ].join("\n\n");
}
