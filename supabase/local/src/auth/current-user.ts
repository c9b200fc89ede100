import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import { JwtError, type TJwtClaims } from "../keys/jwt-keys.ts";
import type { TAuthConfig } from "./auth-config.ts";
import { authError } from "./auth-errors.ts";
import { authTransaction } from "./auth-transaction.ts";
import { requestEmailChange } from "./request-email-change.ts";
import { type TAuthUserRow, USER_COLUMNS, userJson } from "./user-json.ts";
import { parseEmail, parseMetadata, parseNewPassword } from "./validate-credentials.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Verifies the user's access token from `Authorization: Bearer` (the apikey alone is not a user). */
export async function userClaims(ctx: TGatewayContext, req: IncomingMessage): Promise<TJwtClaims & { sub: string }> {
  const match = /^bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? "");
  if (!match?.[1]) throw authError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  let claims: TJwtClaims;
  try {
    claims = await ctx.keys.verify(match[1]);
  } catch (err) {
    // GoTrue answers an expired or forged token with 403 bad_jwt (401 is only for a missing one).
    if (err instanceof JwtError) throw authError(403, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${err.reason}`);
    throw err;
  }
  if (!claims.sub) throw authError(403, "bad_jwt", "invalid claim: missing sub claim");
  return claims as TJwtClaims & { sub: string };
}

/** The token's user, then its session, checked in GoTrue's order (maybeLoadUserOrSession). */
async function loadUser(ctx: TGatewayContext, claims: TJwtClaims & { sub: string }): Promise<TAuthUserRow> {
  if (!UUID.test(claims.sub)) throw authError(400, "bad_jwt", "invalid claim: sub claim must be a UUID");
  const { rows } = await ctx.adminPool.query<TAuthUserRow>(`select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`, [
    claims.sub,
  ]);
  const user = rows[0];
  if (!user) throw authError(403, "user_not_found", "User from sub claim in JWT does not exist");
  if (claims.session_id) {
    if (!UUID.test(claims.session_id)) throw authError(403, "bad_jwt", "invalid claim: session_id claim must be a UUID");
    const session = await ctx.adminPool.query("select 1 from auth.sessions where id = $1", [claims.session_id]);
    if (!session.rowCount) throw authError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
  }
  return user;
}

/** GET /auth/v1/user: the signed-in user. */
export async function getUser(ctx: TGatewayContext, req: IncomingMessage) {
  return userJson(await loadUser(ctx, await userClaims(ctx, req)));
}

/** PUT /auth/v1/user: changes the signed-in user's password and/or metadata. */
export async function updateUser(ctx: TGatewayContext, config: TAuthConfig, req: IncomingMessage, url: URL, body: Record<string, unknown>) {
  const claims = await userClaims(ctx, req);
  const current = await loadUser(ctx, claims);
  // An email change is confirmed by a link to the new address (request-email-change.ts).
  const newEmail = body.email === undefined || body.email === "" ? null : parseEmail(body.email);
  const changesEmail = newEmail !== null && newEmail !== current.email?.toLowerCase();
  const password = body.password === undefined ? null : parseNewPassword(body.password);
  if (password !== null) {
    const same = await ctx.adminPool.query(
      "select 1 from auth.users where id = $1 and encrypted_password = extensions.crypt($2, encrypted_password)",
      [claims.sub, password],
    );
    if (same.rowCount) throw authError(422, "same_password", "New password should be different from the old password.");
  }
  const metadata = body.data === undefined ? null : parseMetadata(body.data);
  const { rows } = await ctx.adminPool.query<TAuthUserRow>(
    `update auth.users set
       encrypted_password = coalesce(extensions.crypt($2, extensions.gen_salt('bf', 10)), encrypted_password),
       raw_user_meta_data = coalesce(raw_user_meta_data || $3::jsonb, raw_user_meta_data),
       updated_at = now()
     where id = $1 returning ${USER_COLUMNS}`,
    [claims.sub, password, metadata],
  );
  const user = rows[0];
  if (!user) throw authError(404, "user_not_found", "User not found");
  return userJson(changesEmail ? await requestEmailChange(ctx, config, req, url, user.id, newEmail) : user);
}

/** POST /auth/v1/logout?scope=global|local|others: ends sessions so their refresh tokens stop working. */
export async function logOut(ctx: TGatewayContext, req: IncomingMessage, scope: string): Promise<void> {
  const claims = await userClaims(ctx, req);
  if (!["global", "local", "others"].includes(scope)) {
    throw authError(400, "validation_failed", `Unsupported logout scope "${scope}": use global, local or others`);
  }
  await authTransaction(ctx.adminPool, async (client) => {
    if (scope === "global" || !claims.session_id) {
      await client.query("delete from auth.sessions where user_id = $1", [claims.sub]);
    } else if (scope === "local") {
      await client.query("delete from auth.sessions where id = $1", [claims.session_id]);
    } else {
      await client.query("delete from auth.sessions where user_id = $1 and id <> $2", [claims.sub, claims.session_id]);
    }
  });
}
