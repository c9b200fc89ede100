/** What supabase-js reports for a failed auth call (AuthError and its subclasses). */
export type TAuthErrorLike = { message: string; status?: number | undefined; code?: string | undefined; name?: string | undefined };

/** Whether an auth error is worth another attempt, and the sentence an owner sees for it. */
export type TInviteErrorVerdict = { retry: boolean; error: string };

/** True when GoTrue answered that the address already has an account (422 email_exists). */
export function isEmailExists(error: TAuthErrorLike): boolean {
  return error.code === "email_exists" || (error.status === 422 && /already (been )?registered/i.test(error.message));
}

/**
 * Classifies an auth error of mailing an invite: the address refused is permanent (inviting again
 * with a corrected address is the fix); rate limits, server errors, an unreachable or misconfigured
 * auth server are retried, since they pass without anyone touching the invite.
 */
export function classifyInviteError(error: TAuthErrorLike, authUrl: string): TInviteErrorVerdict {
  const status = error.status ?? 0;
  const said = error.message.trim() || "no message";
  if (status === 429 || error.code === "over_email_send_rate_limit" || error.code === "over_request_rate_limit") {
    return { retry: true, error: `The auth server is rate-limiting mails (${said}): the invite is sent again shortly` };
  }
  if (status === 0 || status >= 500 || error.name === "AuthRetryableFetchError") {
    return {
      retry: true,
      error: `The auth server at ${authUrl} could not be reached or failed (${said}): the invite is sent again shortly`,
    };
  }
  if (status === 401 || status === 403 || status === 404) {
    return {
      retry: true,
      error: `The auth server at ${authUrl} refused the executor (HTTP ${status}: ${said}): check SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY of the executor`,
    };
  }
  return {
    retry: false,
    error: `The auth server refused to mail this address (HTTP ${status}: ${said}): check the address and invite again`,
  };
}
