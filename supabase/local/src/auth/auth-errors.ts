import crypto from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import { HttpError, type TApiErrorBody } from "../http/http-helpers.ts";

/** GoTrue error codes the local auth endpoints return (names from GoTrue's apierrors/errorcode.go). */
export type TAuthErrorCode =
  | "bad_json"
  | "validation_failed"
  | "weak_password"
  | "email_exists"
  | "user_already_exists"
  | "invalid_credentials"
  | "refresh_token_not_found"
  | "refresh_token_already_used"
  | "session_not_found"
  | "user_not_found"
  | "no_authorization"
  | "bad_jwt"
  | "not_admin"
  | "user_banned"
  | "request_entity_too_large"
  | "unexpected_failure"
  | "mfa_factor_not_found"
  | "mfa_factor_name_conflict"
  | "too_many_enrolled_mfa_factors"
  | "mfa_challenge_expired"
  | "mfa_verification_failed"
  | "mfa_ip_address_mismatch"
  | "insufficient_aal"
  | "mfa_phone_enroll_not_enabled"
  | "mfa_webauthn_enroll_not_enabled"
  | "anonymous_provider_disabled"
  | "otp_expired"
  | "otp_disabled"
  | "over_email_send_rate_limit"
  | "same_password"
  | "phone_provider_disabled"
  // Not in GoTrue's list: GoTrue's router leaves unknown paths to chi's plain-text "404 page not
  // found"; the local stack answers them in GoTrue's error shape so supabase-js can read them.
  | "not_found"
  | "method_not_allowed";

/** Name of the header by which a client picks the error shape (supabase-js sends it on every call). */
export const API_VERSION_HEADER = "x-supabase-api-version";

/** The only dated API version GoTrue knows; a request naming it or a later date gets its shape. */
export const AUTH_API_VERSION = "2024-01-01";

/** An auth failure as GoTrue's handlers raise it; rendered per request by `renderAuthError`. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: TAuthErrorCode,
    message: string,
    /** Extra top-level fields of the body (GoTrue's `weak_password: {reasons}`). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AuthError";
  }
}

export function authError(status: number, code: TAuthErrorCode, message: string, extra: Record<string, unknown> = {}): AuthError {
  return new AuthError(status, code, message, extra);
}

/**
 * True when the request asks for API version 2024-01-01 or later, as GoTrue's
 * DetermineClosestAPIVersion decides: no header, a bad date or an earlier one mean the initial API.
 */
export function wantsDatedApi(req: IncomingMessage): boolean {
  const value = req.headers[API_VERSION_HEADER];
  const date = typeof value === "string" ? value.trim() : "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return false;
  return date >= AUTH_API_VERSION;
}

/**
 * Turns any failure of an auth call into the HTTP answer GoTrue's HandleResponseError gives:
 * - with `X-Supabase-Api-Version: 2024-01-01` (supabase-js): `{code: "<error code>", message}` and
 *   the version echoed in the response header, so auth-js reads `code` as the error code;
 * - without it (curl, older clients): `{code: <HTTP status>, error_code, msg}`, plus `error_id`
 *   for a 5xx so the log line can be found.
 * Both carry the `x-sb-error-code` header. Errors that are not auth errors (a body over the size
 * limit from the shared reader, a bug) are mapped to GoTrue's codes for them, never PostgREST's.
 */
export function renderAuthError(req: IncomingMessage, err: unknown, log: Logger): HttpError {
  let failure: AuthError;
  if (err instanceof AuthError) failure = err;
  else if (err instanceof HttpError && err.status === 413) {
    failure = new AuthError(413, "request_entity_too_large", err.message, {}, err.headers);
  } else if (err instanceof HttpError && err.status < 500) {
    failure = new AuthError(err.status, "validation_failed", err.message, {}, err.headers);
  } else {
    failure = new AuthError(500, "unexpected_failure", "Unexpected failure, please check server logs for more information");
  }
  const headers: Record<string, string> = { ...failure.headers, "x-sb-error-code": failure.code };
  let body: Record<string, unknown>;
  if (wantsDatedApi(req)) {
    headers[API_VERSION_HEADER] = AUTH_API_VERSION;
    body = { code: failure.code, message: failure.message, ...failure.extra };
  } else {
    body = { code: failure.status, error_code: failure.code, msg: failure.message, ...failure.extra };
  }
  if (failure.status >= 500) {
    const errorId = crypto.randomUUID();
    if (!wantsDatedApi(req)) body.error_id = errorId;
    log.error({ err, errorId, method: req.method, path: req.url }, "auth request failed");
  }
  // The gateway writes an HttpError's body as is; GoTrue's initial shape has `msg`, not `message`.
  return new HttpError(failure.status, body as unknown as TApiErrorBody, headers);
}
