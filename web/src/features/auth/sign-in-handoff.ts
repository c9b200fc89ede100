import { z } from "zod";

/**
 * A sign-in made by the server (the form was submitted before the page's JavaScript ran) is handed
 * to the browser's supabase-js, which keeps sessions in localStorage: the server puts the tokens in
 * a short-lived HttpOnly cookie sent only to `SIGN_IN_SESSION_PATH`; the sign-in page, once
 * hydrated, takes them from there once and stores them the usual way (`setSession`).
 */
export const SIGN_IN_HANDOFF_COOKIE = "mc-sign-in-handoff";
/** The route that gives the handed-off tokens to the page, once. */
export const SIGN_IN_SESSION_PATH = "/sign-in/session";
/** Where the sign-in form posts when the page's JavaScript has not taken over (yet). */
export const SIGN_IN_PASSWORD_PATH = "/sign-in/password";
/** Seconds the tokens wait for the page: long enough for a slow first load, short for a stray cookie. */
export const SIGN_IN_HANDOFF_MAX_AGE = 120;

/** What the cookie holds and the session route answers. */
export const ZSignInHandoff = z.object({ access_token: z.string().min(1), refresh_token: z.string().min(1) });
/** Tokens handed from the server's sign-in to the browser client. */
export type TSignInHandoff = z.infer<typeof ZSignInHandoff>;

/** Why a server-side sign-in sent the form back (`/sign-in?error=<reason>`), in words that say what to do. */
export const SIGN_IN_ERRORS = {
  invalid_input: "Enter your email address and password.",
  unauthorized: "Wrong email or password. Check both, or ask the project owner for an account.",
  database_unreachable: "Supabase is unreachable: check that the stack is running, then try again.",
  handoff_expired: "Signing in did not finish in time: sign in again.",
} as const;
/** A reason in SIGN_IN_ERRORS. */
export type TSignInErrorReason = keyof typeof SIGN_IN_ERRORS;

/** The message for `?error=<reason>`, or null for a missing or unknown reason. */
export function signInErrorMessage(reason: string | null): string | null {
  return reason && Object.hasOwn(SIGN_IN_ERRORS, reason) ? SIGN_IN_ERRORS[reason as TSignInErrorReason] : null;
}

/** The sign-in page after a server-side sign-in or failure: never carries the email or the password. */
export function signInPageUrl(next: string, extra: { error?: TSignInErrorReason; handoff?: boolean }): string {
  const params = new URLSearchParams();
  if (extra.handoff) params.set("handoff", "1");
  if (extra.error) params.set("error", extra.error);
  if (next !== "/") params.set("next", next);
  return `/sign-in?${params.toString()}`;
}
