import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { mfaErrorMessage } from "./mfa-error-message.ts";

/** The user's first verified TOTP factor, or null when none is set up. */
export async function findVerifiedTotp(client: TBrowserClient): Promise<{ id: string; friendlyName: string } | null> {
  const { data, error } = await client.auth.mfa.listFactors();
  if (error) throw new Error(`Could not read your authenticators: ${error.message}`);
  const factor = data.totp[0];
  return factor ? { id: factor.id, friendlyName: factor.friendly_name ?? "" } : null;
}

/**
 * Challenges the factor and verifies the 6-digit code (supabase-js saves the aal2 session it
 * returns, so the next database call carries `aal: aal2`). Throws an Error that says what to do.
 */
export async function verifyTotpCode(client: TBrowserClient, factorId: string, code: string): Promise<void> {
  const digits = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(digits)) throw new Error("Enter the 6 digits your authenticator app shows.");
  const { error } = await client.auth.mfa.challengeAndVerify({ factorId, code: digits });
  if (error) throw new Error(mfaErrorMessage(error));
}

/** True when the session has verified a second factor (aal2). */
export async function hasSecondFactorSession(client: TBrowserClient): Promise<boolean> {
  const { data } = await client.auth.mfa.getAuthenticatorAssuranceLevel();
  return data?.currentLevel === "aal2";
}
