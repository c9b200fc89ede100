import type { TGatewayContext } from "../http/module-context.ts";
import { authError } from "./auth-errors.ts";
import { authTransaction } from "./auth-transaction.ts";
import { newRefreshToken, openSession, sessionJson } from "./issue-session.ts";
import { loadSessionAssurance } from "./session-assurance.ts";
import { type TAuthUserRow, USER_COLUMNS } from "./user-json.ts";
import { parseEmail, parseSignInPassword } from "./validate-credentials.ts";

/** POST /auth/v1/token?grant_type=password: checks the password and opens a session. */
export async function grantPassword(ctx: TGatewayContext, body: Record<string, unknown>) {
  const password = parseSignInPassword(body.password);
  const email = parseEmail(body.email);
  return authTransaction(ctx.adminPool, async (client) => {
    const { rows } = await client.query<TAuthUserRow>(
      `select ${USER_COLUMNS} from auth.users
       where lower(email) = $1 and deleted_at is null
         and encrypted_password = extensions.crypt($2, encrypted_password)`,
      [email, password],
    );
    const user = rows[0];
    if (!user) throw authError(400, "invalid_credentials", "Invalid login credentials");
    if (user.banned_until && user.banned_until > new Date()) throw authError(400, "user_banned", "User is banned");
    const session = await openSession(client, user);
    return sessionJson(ctx.keys, `${ctx.publicUrl}/auth/v1`, session.user, session.sessionId, session.refreshToken, "password");
  });
}

/** POST /auth/v1/token?grant_type=refresh_token: rotates a single-use refresh token. */
export async function grantRefreshToken(ctx: TGatewayContext, body: Record<string, unknown>) {
  const token = body.refresh_token;
  if (typeof token !== "string" || token === "") throw authError(400, "validation_failed", "refresh_token is required");
  // No refresh token holds a NUL (they are base64url): one that does is unknown, not a database error.
  if (token.includes("\0")) throw authError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
  return authTransaction(ctx.adminPool, async (client) => {
    const used = await client.query<{ user_id: string; session_id: string }>(
      `update auth.refresh_tokens set revoked = true, updated_at = now()
       where token = $1 and not revoked returning user_id, session_id`,
      [token],
    );
    const row = used.rows[0];
    if (!row) {
      const known = await client.query("select 1 from auth.refresh_tokens where token = $1", [token]);
      if (known.rowCount) throw authError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
      throw authError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    }
    const { rows } = await client.query<TAuthUserRow>(`select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`, [
      row.user_id,
    ]);
    const user = rows[0];
    if (!user) throw authError(404, "user_not_found", "User from the refresh token no longer exists");
    if (user.banned_until && user.banned_until > new Date()) throw authError(400, "user_banned", "Invalid Refresh Token: User Banned");
    const next = newRefreshToken();
    await client.query("insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2, $3, $4)", [
      next,
      row.user_id,
      row.session_id,
      token,
    ]);
    await client.query("update auth.sessions set updated_at = now() where id = $1", [row.session_id]);
    // The refreshed token keeps the assurance the session earned (aal2 after a verified factor).
    const assurance = await loadSessionAssurance(client, row.session_id);
    return sessionJson(ctx.keys, `${ctx.publicUrl}/auth/v1`, user, row.session_id, next, "password", assurance);
  });
}
