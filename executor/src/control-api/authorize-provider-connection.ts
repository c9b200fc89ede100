import { AppError } from "@mission-control/shared/errors";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import { requireProjectRole } from "./require-project-role.ts";

/** The columns of provider_connections the provider routes use (never a key: the table has none). */
export const CONNECTION_COLUMNS =
  "id, project_id, name, kind, base_url, keyless, default_model, cli_command, cli_timeout_seconds, key_last4";

/**
 * Checks that `userId` may manage provider connection `connectionId` (set its key, test it): an
 * owner or operator of its project. Throws `not_found` for an unknown connection (or one in a
 * project the caller is not a member of) and `forbidden` for viewers. Returns the connection.
 */
export async function authorizeProviderConnection(db: TDb, options: { userId: string; connectionId: string; action: string }) {
  const connection = await db.from("provider_connections").select(CONNECTION_COLUMNS).eq("id", options.connectionId).maybeSingle();
  if (connection.error) throw readDbError(connection.error, "Could not look up the provider connection", "database_unreachable");
  const notFound = new AppError("not_found", {
    message: `Provider connection ${options.connectionId} was not found in any of your projects: reload Settings → Providers`,
  });
  if (!connection.data) throw notFound;
  await requireProjectRole(db, {
    userId: options.userId,
    projectId: connection.data.project_id,
    roles: ["owner", "operator"],
    notFound,
    forbiddenMessage: `Viewers cannot ${options.action}: ask an owner for the operator role`,
  });
  return connection.data;
}
