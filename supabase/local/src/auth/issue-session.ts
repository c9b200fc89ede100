import crypto from "node:crypto";
import type pg from "pg";
import type { TJwtKeys } from "../keys/jwt-keys.ts";
import type { TSessionAssurance } from "./session-assurance.ts";
import { type TAuthUserRow, userJson } from "./user-json.ts";

/** Lifetime of an access token in seconds (config.toml `auth.jwt_expiry`). */
export const ACCESS_TOKEN_SECONDS = 3600;

/** A new random refresh token, in the short form GoTrue uses. */
export function newRefreshToken(): string {
  return crypto.randomBytes(16).toString("base64url");
}

/**
 * Signs the access token GoTrue would give this user in this session. Without `assurance` (a
 * session that never verified a second factor) it is aal1 with `method` as its one amr entry.
 */
export async function signAccessToken(
  keys: TJwtKeys,
  issuer: string,
  user: TAuthUserRow,
  sessionId: string,
  method: string,
  assurance?: TSessionAssurance | null,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return keys.sign(
    {
      iss: issuer,
      aud: user.aud,
      sub: user.id,
      email: user.email ?? "",
      phone: "",
      app_metadata: user.raw_app_meta_data,
      user_metadata: user.raw_user_meta_data,
      role: user.role,
      aal: assurance?.aal ?? "aal1",
      amr: assurance?.amr ?? [{ method, timestamp: now }],
      session_id: sessionId,
      is_anonymous: user.is_anonymous,
    },
    ACCESS_TOKEN_SECONDS,
  );
}

/** The session body of a token grant: access token, refresh token, expiry and the user. */
export async function sessionJson(
  keys: TJwtKeys,
  issuer: string,
  user: TAuthUserRow,
  sessionId: string,
  refreshToken: string,
  method: string,
  assurance?: TSessionAssurance | null,
) {
  const accessToken = await signAccessToken(keys, issuer, user, sessionId, method, assurance);
  return {
    access_token: accessToken,
    token_type: "bearer",
    expires_in: ACCESS_TOKEN_SECONDS,
    expires_at: Math.floor(Date.now() / 1000) + ACCESS_TOKEN_SECONDS,
    refresh_token: refreshToken,
    user: userJson(user),
  };
}

/**
 * Opens a new session for the user (session row + first refresh token) inside `client`'s
 * transaction and stamps the sign-in time. Returns the user with that `last_sign_in_at`, so the
 * answer of the same request already carries it (as GoTrue's does).
 */
export async function openSession(
  client: pg.PoolClient | pg.Pool,
  user: TAuthUserRow,
): Promise<{ sessionId: string; refreshToken: string; user: TAuthUserRow }> {
  const refreshToken = newRefreshToken();
  const { rows } = await client.query<{ session_id: string }>(
    `with s as (insert into auth.sessions (user_id) values ($1) returning id)
     insert into auth.refresh_tokens (token, user_id, session_id) select $2, $1, s.id from s returning session_id`,
    [user.id, refreshToken],
  );
  const sessionId = rows[0]?.session_id;
  if (!sessionId) throw new Error("opening a session returned no row");
  const stamped = await client.query<{ last_sign_in_at: Date }>(
    "update auth.users set last_sign_in_at = now() where id = $1 returning last_sign_in_at",
    [user.id],
  );
  return { sessionId, refreshToken, user: { ...user, last_sign_in_at: stamped.rows[0]?.last_sign_in_at ?? new Date() } };
}
