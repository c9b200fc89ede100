/** A row of auth.mfa_factors as the factor endpoints read it (the secret included: never send it). */
export interface TFactorRow {
  id: string;
  user_id: string;
  friendly_name: string;
  factor_type: "totp";
  status: "unverified" | "verified";
  secret: string;
  last_used_time_step: string | null;
  last_challenged_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Columns to select for a TFactorRow. */
export const FACTOR_COLUMNS =
  "id, user_id, friendly_name, factor_type, status, secret, last_used_time_step, last_challenged_at, created_at, updated_at";

/**
 * The `factors` column of a user row: the user's factors as GoTrue's JSON lists them (id,
 * friendly_name when set, factor_type, status, times), oldest first; never the secret. Null
 * when the user has none, so the user JSON leaves the field out as GoTrue does.
 */
export const FACTORS_COLUMN = `(
  select json_agg(json_strip_nulls(json_build_object(
           'id', f.id, 'friendly_name', nullif(f.friendly_name, ''), 'factor_type', f.factor_type, 'status', f.status,
           'created_at', f.created_at, 'updated_at', f.updated_at)
         )::jsonb || jsonb_build_object('last_challenged_at', f.last_challenged_at) order by f.created_at, f.id)
  from auth.mfa_factors f where f.user_id = users.id
) as factors`;
