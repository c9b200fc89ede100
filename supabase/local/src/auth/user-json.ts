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
}

/** Columns to select for a TAuthUserRow. */
export const USER_COLUMNS =
  "id, aud, role, email, email_confirmed_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data, is_anonymous, banned_until, created_at, updated_at";

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
    phone: "",
    confirmed_at: iso(row.email_confirmed_at),
    last_sign_in_at: iso(row.last_sign_in_at),
    app_metadata: row.raw_app_meta_data,
    user_metadata: row.raw_user_meta_data,
    identities: row.email ? [emailIdentityJson(row.id, row.email, row.created_at)] : [],
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    banned_until: iso(row.banned_until),
    is_anonymous: row.is_anonymous,
  };
}
