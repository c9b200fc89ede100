import { AppError } from "@mission-control/shared/errors";
import type { TMemberRole } from "@mission-control/shared/schemas";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Checks with the service role that `userId` holds one of `roles` in `projectId` and returns the
 * role. A non-member gets `notFound` (so ids of other projects do not leak); a member with another
 * role gets `forbidden` with `forbiddenMessage`.
 */
export async function requireProjectRole(
  db: TDb,
  options: { userId: string; projectId: string; roles: readonly TMemberRole[]; notFound: AppError; forbiddenMessage: string },
): Promise<TMemberRole> {
  const member = await db
    .from("project_members")
    .select("role")
    .eq("project_id", options.projectId)
    .eq("user_id", options.userId)
    .maybeSingle();
  if (member.error) throw readDbError(member.error, "Could not check your membership", "database_unreachable");
  if (!member.data) throw options.notFound;
  const role = member.data.role as TMemberRole;
  if (!options.roles.includes(role)) throw new AppError("forbidden", { message: options.forbiddenMessage });
  return role;
}
