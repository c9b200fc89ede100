import type pg from "pg";

/** One entry of a token's `amr` claim: how and when the session authenticated. */
export interface TAmrEntry {
  method: string;
  timestamp: number;
}

/** A session's authenticator assurance level and methods, as its access tokens carry them. */
export interface TSessionAssurance {
  aal: "aal1" | "aal2";
  amr: TAmrEntry[];
}

type TQueryable = Pick<pg.PoolClient, "query">;

/**
 * The assurance a session has earned, from auth.mfa_amr_claims (GoTrue's CalculateAALAndAMR):
 * aal2 once a second factor (totp) was verified in it, the methods most recent first. Null for a
 * session that never went through MFA: its tokens keep the method they were signed in with.
 */
export async function loadSessionAssurance(client: TQueryable, sessionId: string): Promise<TSessionAssurance | null> {
  const { rows } = await client.query<{ authentication_method: string; at: number }>(
    `select authentication_method, extract(epoch from updated_at)::bigint as at
     from auth.mfa_amr_claims where session_id = $1 order by updated_at desc, authentication_method`,
    [sessionId],
  );
  if (rows.length === 0) return null;
  return {
    aal: rows.some((row) => row.authentication_method === "totp") ? "aal2" : "aal1",
    amr: rows.map((row) => ({ method: row.authentication_method, timestamp: Number(row.at) })),
  };
}
