import { type TProviderConnection as TProviderConnectionRow, ZProviderConnection } from "@mission-control/shared/rows";
import type { TProviderConnection } from "@mission-control/shared/schemas";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { databaseWriteError } from "./database-write-error.ts";

/**
 * Creates a provider connection (no `id`) or updates one, straight through RLS (operators and
 * owners). The key is not part of it: it goes to the executor with setProviderKey.
 */
export async function saveProviderConnection(
  client: TBrowserClient,
  input: { projectId: string; id?: string; connection: TProviderConnection },
): Promise<TProviderConnectionRow> {
  const { connection } = input;
  const query = input.id
    ? client.from("provider_connections").update(connection).eq("id", input.id).eq("project_id", input.projectId)
    : client.from("provider_connections").insert({ ...connection, project_id: input.projectId });
  const { data, error } = await query.select().maybeSingle();
  if (error) {
    throw databaseWriteError(error, {
      what: "provider connections",
      conflict: `A connection named "${connection.name}" already exists in this project: pick another name.`,
    });
  }
  if (!data) throw databaseWriteError({ code: "42501", message: "no row was written" }, { what: "provider connections" });
  return ZProviderConnection.parse(data);
}
