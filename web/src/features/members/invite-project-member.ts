import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import type { TInviteInput } from "./invite-draft.ts";
import { type TProjectInvite, ZProjectInvite } from "./project-invite-row.ts";

/**
 * Invites an address to the project with a role (`invite_project_member`, owners only). The row
 * starts `queued`; the executor's mailer sends it and marks it `sent` or `failed`. Inviting an
 * address again (a failed or pending invitation: the Retry button) updates its role and queues
 * the mail once more.
 */
export async function inviteProjectMember(client: TBrowserClient, projectId: string, input: TInviteInput): Promise<TProjectInvite> {
  const { data, error } = await client.rpc("invite_project_member", {
    p_project_id: projectId,
    p_email: input.email,
    p_role: input.role,
  });
  if (error) throw rpcWriteError(`invite ${input.email}`, error);
  return ZProjectInvite.parse(data);
}
