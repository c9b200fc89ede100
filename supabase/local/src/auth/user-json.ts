import { FACTORS_COLUMN } from "./factor-json.ts";
import { emailIdentityJson } from "./identity-json.ts";

/** A row of auth.users as the local auth endpoints read it. */
export interface TAuthUserRow {
  id: string;
  aud: string;
  role: string;
  email: string | null;
  email_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown>;
  raw_user_meta_data: Record<string, unknown>;
  is_anonymous: boolean;
  banned_until: Date | null;
  created_at: Date;
  updated_at: Date;
  /** When the last invite went out (GoTrue's invited_at). */
  invited_at: Date | null;
  /** When the last invite or signup confirmation, and the last magic link or recovery mail, went out. */
  confirmation_sent_at: Date | null;
  recovery_sent_at: Date | null;
  /** The address an email change waits to confirm, and when its mail went out. */
  email_change: string | null;
  email_change_sent_at: Date | null;
  /** The user's MFA factors as GoTrue lists them (never the secret); null when there are none. */
  factors?: Array<Record<string, unknown>> | null;
}

/**
 * Columns to select (or return) for a TAuthUserRow, from `auth.users` without an alias: the
 * factors subquery names the table.
 */
export const USER_COLUMNS = `id, aud, role, email, email_confirmed_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data, is_anonymous, banned_until, created_at, updated_at, invited_at, confirmation_sent_at, recovery_sent_at, email_change, email_change_sent_at, ${FACTORS_COLUMN}`;

/**
 * The user object GoTrue returns, built from a row. Like GoTrue's JSON, a timestamp that is not
 * set is left out (`omitempty`), and `identities` lists the user's sign-in identities: every
 * account of the local stack signs in by email, so that is its one identity.
 */
export function userJson(row: TAuthUserRow): Record<string, unknown> {
  const iso = (d: Date | null) => (d ? d.toISOString() : undefined);
  return {
    id: row.id,
    aud: row.aud,
    role: row.role,
    email: row.email ?? "",
    email_confirmed_at: iso(row.email_confirmed_at),
    invited_at: iso(row.invited_at),
    phone: "",
    confirmation_sent_at: iso(row.confirmation_sent_at),
    confirmed_at: iso(row.email_confirmed_at),
    recovery_sent_at: iso(row.recovery_sent_at),
    new_email: row.email_change || undefined,
    email_change_sent_at: iso(row.email_change_sent_at),
    last_sign_in_at: iso(row.last_sign_in_at),
    app_metadata: row.raw_app_meta_data,
    user_metadata: row.raw_user_meta_data,
    identities: row.email ? [emailIdentityJson(row.id, row.email, row.created_at)] : [],
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    banned_until: iso(row.banned_until),
    is_anonymous: row.is_anonymous,
    // GoTrue leaves `factors` out when there are none (omitempty).
    ...(row.factors?.length ? { factors: row.factors } : {}),
  };
}
