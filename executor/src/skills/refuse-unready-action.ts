import type { TSkillGate } from "./read-skill-gate.ts";

/**
 * Why an action an agent proposes outside a run (a ```proposal block in a chat reply) cannot be
 * proposed, or null when it can: a skill that unlocks the action's tool is not ready. Runs withhold
 * the same tools (applySkillGate); this keeps a chat reply from proposing what a run could not do.
 * The sentence goes into the reply's note, so the operator and the agent see what to set up.
 */
export function refuseUnreadyAction(gate: TSkillGate, actionType: string): string | null {
  const skill = gate.unready.find((unready) => (unready.tools as readonly string[]).includes(actionType));
  if (!skill) return null;
  const why = skill.reasons.length > 0 ? skill.reasons.map((reason) => reason.replace(/\.+$/, "")).join("; ") : "its last check failed";
  const state = skill.status === "blocked" ? "is blocked" : "needs setup";
  return `skill "${skill.name}" ${state} (${why}), so ${actionType} cannot be proposed until an operator sets it up on the Skills page`;
}
