import type { TMemberRole } from "@mission-control/shared/schemas";

/** How many owners a member list holds. */
export function countOwners(members: readonly { role: TMemberRole }[]): number {
  return members.filter((member) => member.role === "owner").length;
}

/**
 * Why the signed-in member may not leave, or null when they may. A project always keeps an owner
 * (the database refuses the last owner's leaving as well); the button says so before it is pressed.
 */
export function leaveRefusal(selfRole: TMemberRole | null, owners: number): string | null {
  if (selfRole === null) return "You are not a member of this project.";
  if (selfRole === "owner" && owners <= 1)
    return "You are the only owner: make another member owner first (change their role below), then leave.";
  return null;
}

/** What a member may do on the Members page: owners manage members and invitations; everyone else reads. */
export function canManageMembers(role: TMemberRole | null): boolean {
  return role === "owner";
}
