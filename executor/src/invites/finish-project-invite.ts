import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** How mailing one invite ended: sent, or failed with a reason (retried unless `retry` is false). */
export type TInviteOutcome = { status: "sent"; via: "invite" | "magic_link" } | { status: "failed"; error: string; retry: boolean };

/**
 * Records the outcome of a claimed invite. A failure the database may retry stays queued with its
 * error and a back-off until the last attempt; an invite revoked or accepted meanwhile is left as it is.
 */
export async function finishProjectInvite(db: TDb, options: { inviteId: string; executorId: string; outcome: TInviteOutcome }) {
  const { outcome } = options;
  const { data, error } = await db.rpc("finish_project_invite", {
    p_invite_id: options.inviteId,
    p_status: outcome.status,
    p_executor_id: options.executorId,
    ...(outcome.status === "failed" ? { p_error: outcome.error, p_retry: outcome.retry } : {}),
  });
  if (error) throw readDbError(error, `Could not record the outcome of invite ${options.inviteId}`, "database_unreachable");
  return data;
}
