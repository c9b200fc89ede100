import { MEMBER_ROLES, type TMemberRole } from "@mission-control/shared/schemas";
import { z } from "zod";

/** What the invite form holds while the owner types. */
export interface TInviteDraft {
  email: string;
  role: string;
}

/** A checked invitation: a normalised email and a role. */
export interface TInviteInput {
  email: string;
  role: TMemberRole;
}

/** The problem of each invite field, in words shown beside it. */
export type TInviteIssues = Partial<Record<keyof TInviteDraft, string>>;

const ZEmail = z.email();

/**
 * Checks the invite form before anything is sent: an email address (trimmed, lower-cased, as
 * GoTrue stores it) that is not already a member's, and one of the three roles. The database
 * checks the same again; this only saves a round trip and says it beside the field.
 */
export function parseInviteDraft(
  draft: TInviteDraft,
  memberEmails: readonly string[],
): { ok: true; value: TInviteInput } | { ok: false; issues: TInviteIssues } {
  const issues: TInviteIssues = {};
  const email = draft.email.trim().toLowerCase();
  if (email === "") issues.email = "is empty: enter the address to send the invitation to.";
  else if (!ZEmail.safeParse(email).success)
    issues.email = `"${draft.email.trim()}" is not an email address: write it as name@example.com.`;
  else if (memberEmails.some((member) => member.toLowerCase() === email))
    issues.email = `${email} is already a member: change their role in the list below instead.`;
  const role = (MEMBER_ROLES as readonly string[]).includes(draft.role) ? (draft.role as TMemberRole) : null;
  if (!role) issues.role = "is not chosen: pick owner, operator or viewer.";
  if (Object.keys(issues).length > 0 || !role) return { ok: false, issues };
  return { ok: true, value: { email, role } };
}
