import type { SupabaseClient } from "@supabase/supabase-js";
import { Secret, TOTP } from "otpauth";

/**
 * The 6-digit code an authenticator app shows for `secret` at `ms` (the caller's clock). The stack
 * accepts the codes of one 30 s step either side of its own clock and each step once, so a test
 * that verifies twice asks for the next step's code the second time (`ms = Date.now() + 30_000`).
 */
export function totpCode(secret: string, ms = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: ms });
}

/**
 * Enrolls a TOTP factor for the signed-in client and verifies it, so the client's session is
 * aal2. Returns the factor id and secret (to compute later codes with `totpCode`).
 */
export async function enrollVerifiedTotp(
  client: SupabaseClient,
  friendlyName = "Test phone",
): Promise<{ factorId: string; secret: string }> {
  const enrolled = await client.auth.mfa.enroll({ factorType: "totp", friendlyName });
  if (enrolled.error || !enrolled.data || enrolled.data.type !== "totp") throw new Error(`enroll failed: ${enrolled.error?.message}`);
  const { id, totp } = enrolled.data;
  const verified = await client.auth.mfa.challengeAndVerify({ factorId: id, code: totpCode(totp.secret) });
  if (verified.error) throw new Error(`verify failed: ${verified.error.message}`);
  return { factorId: id, secret: totp.secret };
}
