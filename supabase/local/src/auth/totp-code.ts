import { Secret, TOTP } from "otpauth";

/** GoTrue's TOTP parameters (pquerna/otp defaults): SHA1, 6 digits, 30 s steps, one step of skew. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_SKEW_STEPS = 1;

/** A new random TOTP secret, base32 (20 bytes, as GoTrue's totp.Generate). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads (the QR code holds it). */
export function totpUri(input: { secret: string; issuer: string; accountName: string }): string {
  return new TOTP({
    issuer: input.issuer,
    label: input.accountName,
    secret: Secret.fromBase32(input.secret),
    algorithm: "SHA1",
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** What checking a code decided; `step` is the 30 s step the accepted code belongs to. */
export type TTotpCheck = { ok: true; step: number } | { ok: false; reason: "invalid" | "replayed" };

/**
 * Checks a 6-digit code against the secret at time `nowMs` (injected, so tests choose the clock):
 * codes of the current step and one step either side are accepted (GoTrue's Skew 1). A code whose
 * step is not after `lastUsedStep` is refused as a replay (RFC 6238 §5.2), so one code opens one
 * aal2 session.
 */
export function checkTotpCode(input: { secret: string; code: string; nowMs: number; lastUsedStep: number | null }): TTotpCheck {
  if (!/^\d{6}$/.test(input.code)) return { ok: false, reason: "invalid" };
  const totp = new TOTP({ secret: Secret.fromBase32(input.secret), algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS });
  const delta = totp.validate({ token: input.code, timestamp: input.nowMs, window: TOTP_SKEW_STEPS });
  if (delta === null) return { ok: false, reason: "invalid" };
  const step = totp.counter({ timestamp: input.nowMs }) + delta;
  if (input.lastUsedStep !== null && step <= input.lastUsedStep) return { ok: false, reason: "replayed" };
  return { ok: true, step };
}
