import type { TSkillRequirement, TSkillRequirementResult, TSkillStatus } from "@mission-control/shared/schemas";
import { checkRequirement, type TRequirementContext } from "./check-requirement.ts";

/** A skill's verdict: the status, each requirement's result and the reasons of the unmet ones. */
export type TSkillVerdict = { status: TSkillStatus; results: TSkillRequirementResult[]; reasons: string[] };

/**
 * Checks every requirement of a skill: `blocked` when one can never be met on this executor,
 * `needs_setup` when one an operator can set up is missing, `ready` when all are met (a skill
 * without requirements is always ready). The reasons are those of the unmet requirements.
 */
export async function evaluateSkill(requirements: readonly TSkillRequirement[], context: TRequirementContext): Promise<TSkillVerdict> {
  const results = await Promise.all(requirements.map((requirement) => checkRequirement(requirement, context)));
  const unmet = results.filter((result) => !result.ok);
  const status: TSkillStatus = unmet.some((result) => result.blocked) ? "blocked" : unmet.length > 0 ? "needs_setup" : "ready";
  return { status, results, reasons: unmet.map((result) => result.reason) };
}
