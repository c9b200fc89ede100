import type { TRouteAnswer } from "@mission-control/shared/control-api";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import type { TKeks } from "../keys/provider-keks.ts";
import { ZConnectionWithSecret } from "../providers/connection-to-provider-config.ts";
import { testProviderConnection } from "../providers/test-provider-connection.ts";
import { authorizeProviderConnection } from "./authorize-provider-connection.ts";
import type { TRouteInput } from "./dispatch-route.ts";

/**
 * POST /api/providers/:connectionId/test {model?} (operator token checked by the router): checks
 * the caller is an owner or operator of the connection's project, then makes one small request
 * with the stored key (or runs the CLI agent) and answers 200 with the reply or the provider's
 * error in words. A test is not a delivery: it is not recorded against budgets.
 */
export async function handleTestProvider(
  { caller, params, body }: TRouteInput<"testProvider">,
  deps: { db: TDb; keks: TKeks; workspaceDir: string; log: Logger },
): Promise<TRouteAnswer<"testProvider">> {
  const { connectionId } = params;
  const connection = await authorizeProviderConnection(deps.db, {
    userId: caller.userId,
    connectionId,
    action: "test provider connections",
  });
  const secret = await deps.db.from("provider_connection_secrets").select("ciphertext").eq("connection_id", connectionId).maybeSingle();
  if (secret.error) throw readDbError(secret.error, "Could not read the connection's stored key", "database_unreachable");
  const answer = await testProviderConnection(ZConnectionWithSecret.parse({ ...connection, ciphertext: secret.data?.ciphertext ?? null }), {
    keks: deps.keks,
    workspaceDir: deps.workspaceDir,
    ...(body.model ? { model: body.model } : {}),
    deps: { log: deps.log.child({ connectionId }) },
  });
  deps.log.info(
    {
      connectionId,
      projectId: connection.project_id,
      userId: caller.userId,
      kind: connection.kind,
      ok: answer.ok,
      latencyMs: answer.latency_ms,
    },
    "provider connection tested through the Control API",
  );
  return { status: 200, body: answer };
}
