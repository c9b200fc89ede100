import { AppError } from "@mission-control/shared/errors";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { databaseWriteError } from "./database-write-error.ts";

/** "Used by @a, @b: switch them to another provider first" (or a generic sentence when the agents are not known). */
export function usedByMessage(agentKeys: readonly string[]): string {
  if (agentKeys.length === 0) return "An agent still uses this connection: switch it to another provider on its page first.";
  return `Used by ${agentKeys.map((key) => `@${key}`).join(", ")}: switch them to another provider first.`;
}

/**
 * Deletes a provider connection (owners, through RLS) with its stored key. An agent still on it
 * makes the database refuse (23503): the error names those agents (`usedBy`, from the store).
 */
export async function deleteProviderConnection(
  client: TBrowserClient,
  input: { projectId: string; id: string; usedBy: readonly string[] },
): Promise<void> {
  const { data, error } = await client
    .from("provider_connections")
    .delete()
    .eq("id", input.id)
    .eq("project_id", input.projectId)
    .select("id");
  if (error) {
    throw databaseWriteError(error, {
      what: "provider connections",
      inUse: usedByMessage(input.usedBy),
      forbidden: "Only owners can delete provider connections.",
    });
  }
  if ((data ?? []).length === 0) {
    // RLS hides a row the user may not delete instead of refusing: say who may.
    throw new AppError("forbidden", {
      message: "Nothing was deleted: only owners can delete provider connections (or it is already gone).",
    });
  }
}
