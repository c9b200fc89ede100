import { type TChangeset, ZChangeset } from "@mission-control/shared/rows";
import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/**
 * Asks for an applied changeset to be rolled back (`request_changeset_rollback`): the executor
 * restores every applied file's previous content and records it. Asking twice is fine.
 */
export async function requestChangesetRollback(client: TBrowserClient, changesetId: string): Promise<TChangeset> {
  const { data, error } = await client.rpc("request_changeset_rollback", { p_changeset_id: changesetId });
  if (error) throw rpcWriteError("request the rollback", error);
  return ZChangeset.parse(data);
}
