import type { TRouteAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import { encryptProviderKey } from "../keys/encrypt-provider-key.ts";
import { MISSING_KEK_MESSAGE, type TKeks } from "../keys/provider-keks.ts";
import { authorizeProviderConnection } from "./authorize-provider-connection.ts";
import type { TRouteInput } from "./dispatch-route.ts";

/**
 * POST /api/providers/:connectionId/key {api_key} (operator token checked by the router): checks
 * the caller is an owner or operator of the connection's project, encrypts the key under the
 * current key-encryption key (the connection id as additional data), stores the ciphertext in
 * provider_connection_secrets and the key's last four characters on the connection. `api_key:
 * null` removes the stored key. Answers with the last four characters only; the key is never
 * logged or returned.
 */
export async function handleSetProviderKey(
  { caller, params, body }: TRouteInput<"setProviderKey">,
  deps: { db: TDb; keks: TKeks; log: Logger },
): Promise<TRouteAnswer<"setProviderKey">> {
  const { connectionId } = params;
  const connection = await authorizeProviderConnection(deps.db, { userId: caller.userId, connectionId, action: "set provider keys" });
  const now = new Date().toISOString();
  let keyLast4: string | null = null;
  if (body.api_key === null) {
    const removed = await deps.db.from("provider_connection_secrets").delete().eq("connection_id", connectionId);
    if (removed.error) throw readDbError(removed.error, "Could not remove the stored key", "database_unreachable");
  } else {
    const kek = deps.keks[0];
    if (!kek) throw new AppError("conflict", { message: MISSING_KEK_MESSAGE });
    const ciphertext = encryptProviderKey(body.api_key, { kek, aad: connectionId });
    const stored = await deps.db
      .from("provider_connection_secrets")
      .upsert(
        { connection_id: connectionId, project_id: connection.project_id, ciphertext, updated_at: now },
        { onConflict: "connection_id" },
      );
    if (stored.error) throw readDbError(stored.error, "Could not store the encrypted key", "database_unreachable");
    keyLast4 = body.api_key.slice(-4);
  }
  const marked = await deps.db.from("provider_connections").update({ key_last4: keyLast4, key_updated_at: now }).eq("id", connectionId);
  if (marked.error) throw readDbError(marked.error, "Stored the key but could not show its last four characters", "database_unreachable");
  deps.log.info(
    { connectionId, projectId: connection.project_id, userId: caller.userId, removed: keyLast4 === null, kekId: deps.keks[0]?.id ?? null },
    keyLast4 === null ? "provider key removed through the Control API" : "provider key stored through the Control API",
  );
  return { status: 200, body: { connection_id: connectionId, key_last4: keyLast4 } };
}
