import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { type TProjectInvite, ZProjectInvite } from "./project-invite-row.ts";

/** Revokes a pending invitation (`revoke_project_invite`, owners only): its link no longer adds anyone. */
export async function revokeProjectInvite(client: TBrowserClient, invite: { id: string; email: string }): Promise<TProjectInvite> {
  const { data, error } = await client.rpc("revoke_project_invite", { p_invite_id: invite.id });
  if (error) throw rpcWriteError(`revoke the invitation of ${invite.email}`, error);
  return ZProjectInvite.parse(data);
}
