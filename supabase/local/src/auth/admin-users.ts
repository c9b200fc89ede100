import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import { JwtError } from "../keys/jwt-keys.ts";
import { authError } from "./auth-errors.ts";
import { insertUser } from "./sign-up.ts";
import { type TAuthUserRow, USER_COLUMNS, userJson } from "./user-json.ts";
import { parseEmail, parseMetadata, parseNewPassword } from "./validate-credentials.ts";

/** Refuses the request unless its Bearer token is the service role. */
export async function requireServiceRole(ctx: TGatewayContext, req: IncomingMessage): Promise<void> {
  const match = /^bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? "");
  // GoTrue's order: no token is 401, a bad one 403 bad_jwt, a valid non-admin one 403 not_admin.
  if (!match?.[1]) throw authError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  let role: string | undefined;
  try {
    role = (await ctx.keys.verify(match[1])).role;
  } catch (err) {
    if (err instanceof JwtError) throw authError(403, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${err.reason}`);
    throw err;
  }
  if (role !== "service_role") {
    throw authError(403, "not_admin", "User not allowed: admin endpoints need the service role key (never ship it to a browser)");
  }
}

/** POST /auth/v1/admin/users: creates a user (service role only). */
export async function adminCreateUser(ctx: TGatewayContext, body: Record<string, unknown>) {
  const email = parseEmail(body.email);
  const password = parseNewPassword(body.password);
  const user = await insertUser(ctx, {
    email,
    password,
    userMetadata: parseMetadata(body.user_metadata ?? body.data),
    appMetadata: parseMetadata(body.app_metadata),
    confirmed: body.email_confirm === true,
  });
  if (!user) throw authError(422, "email_exists", "A user with this email address has already been registered");
  return userJson(user);
}

/** GET /auth/v1/admin/users?page=&per_page=: lists users, newest first. */
export async function adminListUsers(ctx: TGatewayContext, url: URL) {
  const page = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1);
  const perPage = Math.min(1000, Math.max(1, Number.parseInt(url.searchParams.get("per_page") ?? "50", 10) || 50));
  const { rows } = await ctx.adminPool.query<TAuthUserRow>(
    `select ${USER_COLUMNS} from auth.users where deleted_at is null order by created_at desc, id limit $1 offset $2`,
    [perPage, (page - 1) * perPage],
  );
  const total = await ctx.adminPool.query<{ n: string }>("select count(*) as n from auth.users where deleted_at is null");
  return { users: rows.map(userJson), aud: "authenticated", total: Number(total.rows[0]?.n ?? 0) };
}

/** GET /auth/v1/admin/users/:id */
export async function adminGetUser(ctx: TGatewayContext, id: string) {
  const { rows } = await ctx.adminPool.query<TAuthUserRow>(
    `select ${USER_COLUMNS} from auth.users where id = $1::uuid and deleted_at is null`,
    [id],
  );
  const user = rows[0];
  if (!user) throw authError(404, "user_not_found", "User not found");
  return userJson(user);
}

/** DELETE /auth/v1/admin/users/:id: removes the user, their sessions and refresh tokens. */
export async function adminDeleteUser(ctx: TGatewayContext, id: string) {
  const { rows } = await ctx.adminPool.query<TAuthUserRow>(`delete from auth.users where id = $1::uuid returning ${USER_COLUMNS}`, [id]);
  const user = rows[0];
  if (!user) throw authError(404, "user_not_found", "User not found");
  return userJson(user);
}
