import { AppError } from "@mission-control/shared/errors";
import type { TAgentTool } from "@mission-control/shared/schemas";
import { z } from "zod";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** A skill of the project that gates tools and is not ready, with why. */
export type TUnreadySkill = { name: string; status: string; tools: readonly TAgentTool[]; reasons: readonly string[] };

/** What withholds tools from a project's runs: the skills that unlock tools and are not ready. */
export type TSkillGate = { unready: readonly TUnreadySkill[] };

/**
 * The shape read_skill_gate() answers (also in a run's context as `skill_gate`), decoded as a gate.
 * No fallback: a gate that does not decode must not offer the tools it withholds.
 */
export const ZSkillGate = z
  .array(z.object({ name: z.string(), status: z.string(), tools: z.array(z.string()), reasons: z.array(z.string()) }))
  .transform((unready): TSkillGate => ({ unready: unready.map((skill) => ({ ...skill, tools: skill.tools as TAgentTool[] })) }));

/**
 * Reads the project's skills that unlock tools and are not ready (read_skill_gate: their latest
 * verdict in skills_mirror is needs_setup or blocked). A skill never checked yet does not withhold
 * its tools (the executor checks every skill when it starts, before it claims runs).
 */
export async function readSkillGate(db: TDb, projectId: string): Promise<TSkillGate> {
  const { data, error } = await db.rpc("read_skill_gate", { p_project_id: projectId });
  if (error) throw readDbError(error, "Could not read the project's skill checks", "database_unreachable");
  const gate = ZSkillGate.safeParse(data);
  if (!gate.success) throw new AppError("internal", { message: `read_skill_gate answered an unexpected shape: ${gate.error.message}` });
  return gate.data;
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
