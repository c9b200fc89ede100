import crypto from "node:crypto";

/** Namespace of the name-based UUIDs that stand for email identities (fixed so ids never change). */
const EMAIL_IDENTITY_NAMESPACE = "9c1d4b2e-6f3a-5e07-8b9d-2a4c6e8f0a13";

/**
 * The id of a user's email identity: a UUID v5 of the user id, so it is the same on every answer
 * without an auth.identities table (GoTrue stores a random one there).
 */
export function emailIdentityId(userId: string): string {
  const namespace = Buffer.from(EMAIL_IDENTITY_NAMESPACE.replaceAll("-", ""), "hex");
  const hash = crypto.createHash("sha1").update(namespace).update(userId).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The email identity as GoTrue's models.Identity serialises it. GoTrue creates it with the account
 * (sign-up or admin create), so its times are the account's creation time; `id` is the provider's
 * id for the user, which for the email provider is the user id. `identity_data` holds what GoTrue
 * stores at creation: `email_verified` stays false there even when the account is auto-confirmed
 * (GoTrue confirms the user row, not the identity).
 */
export function emailIdentityJson(userId: string, email: string, createdAt: Date): Record<string, unknown> {
  const address = email.toLowerCase();
  const at = createdAt.toISOString();
  return {
    identity_id: emailIdentityId(userId),
    id: userId,
    user_id: userId,
    identity_data: { email: address, email_verified: false, phone_verified: false, sub: userId },
    provider: "email",
    last_sign_in_at: at,
    created_at: at,
    updated_at: at,
    email: address,
  };
}
