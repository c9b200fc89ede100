import { MEMBER_ROLES } from "@mission-control/shared/schemas";
import { z } from "zod";
import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/** A project an accepted invitation added the user to. */
export const ZJoinedProject = z.object({ project_id: z.string(), slug: z.string(), name: z.string(), role: z.enum(MEMBER_ROLES) });
/** One row of `accept_project_invites`. */
export type TJoinedProject = z.infer<typeof ZJoinedProject>;

/**
 * Accepts every pending invitation to the signed-in user's confirmed email (`accept_project_invites`)
 * and returns every project the user joined through an invitation and still belongs to, newest
 * first. Idempotent: confirming the address (the invitation link) already accepts them in the
 * database, and a reload answers the same list.
 */
export async function acceptProjectInvites(client: TBrowserClient): Promise<TJoinedProject[]> {
  const { data, error } = await client.rpc("accept_project_invites");
  if (error) throw rpcWriteError("accept the invitation", error);
  return z.array(ZJoinedProject).parse(data ?? []);
}
