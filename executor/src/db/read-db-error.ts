import { AppError, type TAppErrorCode } from "@mission-control/shared/errors";

/** What PostgREST (and supabase-js) report for a failed request. */
export type TPostgrestErrorLike = { code?: string; message: string; details?: string | null; hint?: string | null };

/** SQLSTATE in complete_chat_deliveries' answer for a reply refused because the claim was taken over by the watchdog or another executor. */
export const CLAIM_LOST_SQLSTATE = "40001";
/**
 * SQLSTATE an RPC raises when the row is no longer in a state it can act on (a claim taken over, a
 * run cancelled or finished, a proposal already resolved): PostgREST answers HTTP 409 for it.
 */
export const STATE_CONFLICT_SQLSTATE = "PT409";
/** SQLSTATE of a reply refused because the agent reached its Team Room posting limit. */
export const POSTING_LIMIT_SQLSTATE = "P0001";
/** SQLSTATE of a reply whose delivery no longer exists. */
export const NO_DELIVERY_SQLSTATE = "P0002";

/**
 * Turns a supabase-js error into an AppError: network failures (no SQLSTATE, fetch failed) are
 * `database_unreachable`; anything else takes `fallback`. The SQLSTATE and hint stay in details.
 */
export function readDbError(error: TPostgrestErrorLike, what: string, fallback: TAppErrorCode = "internal"): AppError {
  const unreachable = !error.code || !/^[0-9A-Z]{5}$|^PGRST/.test(error.code);
  const hint = error.hint ? ` (${error.hint})` : "";
  return new AppError(unreachable ? "database_unreachable" : fallback, {
    message: `${what}: ${error.message}${hint}`,
    details: { sqlstate: error.code ?? null },
  });
}
