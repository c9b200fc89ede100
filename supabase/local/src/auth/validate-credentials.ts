import { z } from "zod";
import { authError } from "./auth-errors.ts";

/** GoTrue's default minimum password length. */
export const MIN_PASSWORD_LENGTH = 6;

const ZEmail = z.string().trim().toLowerCase().pipe(z.email());

/** Normalises an email address, or fails with GoTrue's validation error. */
export function parseEmail(value: unknown): string {
  const parsed = ZEmail.safeParse(value);
  if (!parsed.success) throw authError(400, "validation_failed", "Unable to validate email address: invalid format");
  return parsed.data;
}

/** Checks a new password against the minimum length, or fails with `weak_password`. */
export function parseNewPassword(value: unknown): string {
  if (typeof value !== "string" || value === "") throw authError(422, "validation_failed", "Signup requires a valid password");
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
  return value as Record<string, unknown>;
}
