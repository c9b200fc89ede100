import type { Json } from "@mission-control/shared/db";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import type { TProviderCallRecord } from "./reserve-provider-call.ts";

/**
 * Records a provider call that ended without a reply to save (it failed, or was interrupted):
 * record_provider_call writes its provider_calls row and releases its hold, if it had one, so the
 * reserved tokens stop counting against budgets and what it used counts instead. A call that
 * produced a reply is recorded with the reply instead (complete_chat_deliveries). Throws
 * `database_unreachable` when it cannot be written.
 */
export async function recordProviderCall(db: TDb, call: TProviderCallRecord): Promise<void> {
  const { error } = await db.rpc("record_provider_call", { p_call: call as unknown as Json });
  if (error) throw readDbError(error, `Could not record provider call ${call.id}`, "database_unreachable");
}
