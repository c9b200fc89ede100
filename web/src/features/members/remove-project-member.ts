import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/**
 * Removes a member from the project (`remove_project_member`): owners remove anyone, every member
 * may remove themselves (leaving). The last owner can do neither (409, with what to do).
 */
export async function removeProjectMember(
  client: TBrowserClient,
  projectId: string,
  member: { userId: string; email: string; self: boolean },
): Promise<void> {
  const { error } = await client.rpc("remove_project_member", { p_project_id: projectId, p_user_id: member.userId });
  if (error) throw rpcWriteError(member.self ? "leave the project" : `remove ${member.email}`, error);
}
