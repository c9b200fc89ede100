import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import { JwtError } from "../keys/jwt-keys.ts";
import { ADMIN_ROLES, verifiedRole } from "./admin-token.ts";
import { authError } from "./auth-errors.ts";
import { insertUser } from "./sign-up.ts";
import { type TAuthUserRow, USER_COLUMNS, userJson } from "./user-json.ts";
import { parseEmail, parseMetadata, parseNewPassword } from "./validate-credentials.ts";

/** Refuses the request unless its Bearer token is an admin role (service_role or supabase_admin, as GoTrue). */
export async function requireServiceRole(ctx: TGatewayContext, req: IncomingMessage): Promise<void> {
  const match = /^bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? "");
  // GoTrue's order: no token is 401, a bad one 403 bad_jwt, a valid non-admin one 403 not_admin.
  if (!match?.[1]) throw authError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  let role: string | undefined;
  try {
    role = await verifiedRole(ctx, match[1]);
  } catch (err) {
    if (err instanceof JwtError) throw authError(403, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${err.reason}`);
    throw err;
  }
  if (!(ADMIN_ROLES as readonly string[]).includes(role)) {
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

/** A page number of GoTrue's admin list (strconv.ParseUint): digits only; empty means the default. */
function pageParam(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name) ?? "";
  if (raw === "") return fallback;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  // GoTrue answers 0 with a division by zero (a 500); the local stack says what to send instead.
  if (!Number.isSafeInteger(value) || value < 1) {
    throw authError(
      400,
      "validation_failed",
      `Bad Pagination Parameters: ${name} must be a whole number from 1 (got ${JSON.stringify(raw.slice(0, 50))})`,
    );
  }
  return value;
}

/**
 * GET /auth/v1/admin/users?page=&per_page=: lists users, newest first, with GoTrue's pagination:
 * `page` from 1, `per_page` default 50, `X-Total-Count` and a `Link` header with rel="next"
 * (when there is a next page) and rel="last" (supabase-js reads both).
 */
export async function adminListUsers(ctx: TGatewayContext, url: URL) {
  const page = pageParam(url, "page", 1);
  const perPage = pageParam(url, "per_page", 50);
  const { rows } = await ctx.adminPool.query<TAuthUserRow>(
    `select ${USER_COLUMNS} from auth.users where deleted_at is null order by created_at desc, id limit $1 offset $2`,
    [perPage, (page - 1) * perPage],
  );
  const counted = await ctx.adminPool.query<{ n: string }>("select count(*) as n from auth.users where deleted_at is null");
  const total = Number(counted.rows[0]?.n ?? 0);
  const lastPage = Math.ceil(total / perPage);
  const pageUrl = (n: number) => {
    // GoTrue's query.Encode(): keys sorted, so `page` comes before `per_page`.
    const query = new URLSearchParams(url.searchParams);
    query.set("page", String(n));
    query.sort();
    return `<${url.pathname}?${query.toString()}>`;
  };
  const link = [...(lastPage > page ? [`${pageUrl(page + 1)}; rel="next"`] : []), `${pageUrl(lastPage)}; rel="last"`].join(", ");
  return {
    body: { users: rows.map(userJson), aud: "authenticated" },
    headers: { link, "x-total-count": String(total) },
  };
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

/**
 * DELETE /auth/v1/admin/users/:id: removes the user, their sessions and refresh tokens. With
 * `should_soft_delete` (GoTrue's SoftDeleteUser) the row stays with `deleted_at` set and its
 * address, password and mailed tokens cleared, so the address can sign up again.
 */
export async function adminDeleteUser(ctx: TGatewayContext, id: string, body: Record<string, unknown> = {}) {
  if (body.should_soft_delete !== undefined && typeof body.should_soft_delete !== "boolean") {
    throw authError(400, "validation_failed", "should_soft_delete must be true or false");
  }
  if (body.should_soft_delete === true) {
    const { rows } = await ctx.adminPool.query<TAuthUserRow>(
      `with gone as (delete from auth.sessions where user_id = $1::uuid), spent as (delete from auth.one_time_tokens where user_id = $1::uuid)
       update auth.users set deleted_at = now(), email = null, email_change = null, encrypted_password = null, updated_at = now()
       where id = $1::uuid and deleted_at is null returning ${USER_COLUMNS}`,
      [id],
    );
    const user = rows[0];
    if (!user) throw authError(404, "user_not_found", "User not found");
    return userJson(user);
  }
  const { rows } = await ctx.adminPool.query<TAuthUserRow>(`delete from auth.users where id = $1::uuid returning ${USER_COLUMNS}`, [id]);
  const user = rows[0];
  if (!user) throw authError(404, "user_not_found", "User not found");
  return userJson(user);
}
