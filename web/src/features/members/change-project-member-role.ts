import type { TMemberRole } from "@mission-control/shared/schemas";
import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/**
 * Gives a member another role (`change_project_member_role`, owners only). The database refuses
 * to demote the last owner (409) with a sentence saying to make someone else owner first.
 */
export async function changeProjectMemberRole(
  client: TBrowserClient,
  projectId: string,
  member: { userId: string; email: string },
  role: TMemberRole,
): Promise<void> {
  const { error } = await client.rpc("change_project_member_role", {
    p_project_id: projectId,
    p_user_id: member.userId,
    p_role: role,
  });
  if (error) throw rpcWriteError(`make ${member.email} ${role}`, error);
}
