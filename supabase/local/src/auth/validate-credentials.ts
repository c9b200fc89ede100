import { z } from "zod";
import { authError } from "./auth-errors.ts";

/** GoTrue's default minimum password length. */
export const MIN_PASSWORD_LENGTH = 6;

const ZEmail = z.string().trim().toLowerCase().pipe(z.email());

/**
 * True when a string, or any key or string inside an object or array, holds a NUL character.
 * Postgres text and jsonb cannot store one ("invalid byte sequence for encoding UTF8: 0x00"), so
 * such input is refused with a 4xx before it reaches the database.
 */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\0");
  if (depth > 64 || value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((item) => containsNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes("\0") || containsNul(item, depth + 1));
}

/** Normalises an email address, or fails with GoTrue's validation error. */
export function parseEmail(value: unknown): string {
  if (containsNul(value)) throw authError(400, "validation_failed", "Unable to validate email address: invalid format");
  const parsed = ZEmail.safeParse(value);
  if (!parsed.success) throw authError(400, "validation_failed", "Unable to validate email address: invalid format");
  return parsed.data;
}

/** Checks a new password against the minimum length, or fails with `weak_password`. */
export function parseNewPassword(value: unknown): string {
  if (typeof value !== "string" || value === "") throw authError(422, "validation_failed", "Signup requires a valid password");
  if (value.includes("\0")) {
    throw authError(422, "validation_failed", "Password cannot contain a NUL character (\\u0000): choose another password");
  }
  if (value.length < MIN_PASSWORD_LENGTH) {
    throw authError(422, "weak_password", `Password should be at least ${MIN_PASSWORD_LENGTH} characters.`, {
      weak_password: { reasons: ["length"] },
    });
  }
  if (value.length > 72)
    throw authError(422, "weak_password", "Password cannot be longer than 72 characters", { weak_password: { reasons: ["length"] } });
  return value;
}

/** A metadata object from a request body, or `{}`. */
export function parseMetadata(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw authError(400, "validation_failed", "Metadata must be a JSON object");
  if (containsNul(value)) throw authError(400, "validation_failed", "Metadata cannot contain a NUL character (\\u0000)");
  return value as Record<string, unknown>;
}

/**
 * The password of a sign-in. One with a NUL character matches no account (none can be created
 * with it), so it is GoTrue's answer for a wrong password rather than a database error.
 */
export function parseSignInPassword(value: unknown): string {
  if (typeof value !== "string" || value === "") throw authError(400, "validation_failed", "Password is required to sign in");
  if (value.includes("\0")) throw authError(400, "invalid_credentials", "Invalid login credentials");
  return value;
}
