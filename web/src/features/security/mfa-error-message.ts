/**
 * Words for a failed MFA call (supabase-js AuthError codes, as GoTrue names them) that say what
 * to do next; anything else keeps its own message.
 */
export function mfaErrorMessage(error: { code?: string; message: string }): string {
  switch (error.code) {
    case "mfa_verification_failed":
      return /already used/.test(error.message)
        ? "That code was already used: wait for the next code in your authenticator app and enter it."
        : "That code is not right: enter the 6-digit code your authenticator app shows now.";
    case "mfa_challenge_expired":
      return "The code request expired: enter the current code again.";
    case "insufficient_aal":
      return "Verify a code of your existing authenticator first, then try again.";
    case "mfa_factor_not_found":
      return "This authenticator is no longer set up: reload the page.";
    case "mfa_factor_name_conflict":
      return "You already have an authenticator with this name: pick another name or remove the old one.";
    default:
      return error.message;
  }
}

/** True when a decision was refused because the session has not verified a second factor (resolve_action_proposal's 403). */
export function isStepUpRefusal(err: unknown): boolean {
  return err instanceof Error && /verify your second factor to approve high-risk actions/.test(err.message);
}
