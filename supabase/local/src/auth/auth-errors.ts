import { HttpError } from "../http/http-helpers.ts";

/** GoTrue error codes the local auth endpoints return (the subset supabase-js reacts to). */
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
  | "unsupported_grant_type"
  | "user_banned"
  | "not_found";

/** API version the responses speak; with it supabase-js reads `code` as the error code. */
export const AUTH_API_VERSION = "2024-01-01";

/** An auth failure in GoTrue's shape: `{code, message}` plus the legacy `error_code` and `msg`. */
export function authError(status: number, code: TAuthErrorCode, message: string, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(
    status,
    { code, error_code: code, msg: message, message, ...extra },
    {
      "x-supabase-api-version": AUTH_API_VERSION,
    },
  );
}
