import type { TMemberRole } from "@mission-control/shared/schemas";

/** What each role may do, in the words the Members page uses (the RLS policies decide). */
export const ROLE_DESCRIPTIONS: Record<TMemberRole, string> = {
  owner: "manages members and invitations, and everything an operator does",
  operator: "sends work to agents, approves, changes settings",
  viewer: "reads everything, changes nothing",
};

/** "an owner", "an operator", "a viewer". */
export function withArticle(role: TMemberRole): string {
  return role === "viewer" ? "a viewer" : `an ${role}`;
}
