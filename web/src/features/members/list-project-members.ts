import { z } from "zod";
import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { type TMemberListing, ZMemberListing } from "./member-listing.ts";

const ROLE_ORDER = { owner: 0, operator: 1, viewer: 2 } as const;

/** The project's members with their emails (`list_project_members`, members only): owners first, then by email. */
export async function listProjectMembers(client: TBrowserClient, projectId: string): Promise<TMemberListing[]> {
  const { data, error } = await client.rpc("list_project_members", { p_project_id: projectId });
  if (error) throw rpcWriteError("load the members", error);
  const members = z.array(ZMemberListing).parse(data ?? []);
  return members.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.email.localeCompare(b.email));
}
