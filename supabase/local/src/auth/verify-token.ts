import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { TGatewayContext } from "../http/module-context.ts";
import type { TAuthConfig } from "./auth-config.ts";
import { AUTH_API_VERSION, AuthError, authError } from "./auth-errors.ts";
import { authTransaction } from "./auth-transaction.ts";
import { findUserById } from "./email-user.ts";
import { openSession, sessionJson } from "./issue-session.ts";
import { findOneTimeToken, spendOneTimeToken, type TTokenType } from "./one-time-token.ts";
import { pickRedirect } from "./redirect-url.ts";
import { type TAuthUserRow, USER_COLUMNS } from "./user-json.ts";
import { parseEmail } from "./validate-credentials.ts";

/** Which stored tokens each verification type may redeem (GoTrue's verifyTokenHash switch). */
const TYPES_FOR: Record<string, TTokenType[]> = {
  signup: ["signup", "invite"],
  invite: ["signup", "invite"],
  magiclink: ["magiclink", "recovery"],
  recovery: ["magiclink", "recovery"],
  email_change: ["email_change"],
  // verifyOtp({ type: "email" }): the code of a signup, invite or magic link mail.
  email: ["signup", "invite", "magiclink", "recovery"],
};

const VERIFY_TYPES = Object.keys(TYPES_FOR).join(", ");

/** GoTrue's oauthErrorMap: the `error` of an error redirect by HTTP status. */
const OAUTH_ERROR: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized_client",
  403: "access_denied",
  500: "server_error",
  503: "temporarily_unavailable",
};

type TSession = Awaited<ReturnType<typeof sessionJson>>;

/**
 * Redeems a token in the caller's transaction: checks it (unknown, used and expired tokens are all
 * GoTrue's 403 otp_expired; a banned user is 403 user_banned), spends it, applies what it confirms
 * (the address; for email_change the new address becomes the email) and opens a session.
 */
async function redeem(
  ctx: TGatewayContext,
  client: pg.PoolClient,
  type: string,
  by: { linkToken: string } | { email: string; otp: string },
): Promise<TSession> {
  const types = TYPES_FOR[type];
  if (!types) throw authError(400, "validation_failed", `Invalid email verification type "${type.slice(0, 50)}": use ${VERIFY_TYPES}`);
  const invalid = "linkToken" in by ? "Email link is invalid or has expired" : "Token has expired or is invalid";
  const row = await findOneTimeToken(client, types, by);
  if (!row || row.used_at || row.expires_at.getTime() <= Date.now()) throw authError(403, "otp_expired", invalid);
  const user = await findUserById(client, row.user_id);
  if (!user) throw authError(403, "otp_expired", invalid);
  if (user.banned_until && user.banned_until.getTime() > Date.now()) throw authError(403, "user_banned", "User is banned");
  await spendOneTimeToken(client, row.id);
  let confirmed: TAuthUserRow | undefined;
  if (row.token_type === "email_change") {
    // A later change request replaced this one: its link no longer applies.
    if (user.email_change?.toLowerCase() !== row.email) throw authError(403, "otp_expired", invalid);
    const taken = await client.query("select 1 from auth.users where lower(email) = $1 and id <> $2", [row.email, user.id]);
    if (taken.rowCount) throw authError(422, "email_exists", "A user with this email address has already been registered");
    const { rows } = await client.query<TAuthUserRow>(
      `update auth.users set email = email_change, email_change = null, email_change_sent_at = null,
         email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()
       where id = $1 returning ${USER_COLUMNS}`,
      [user.id],
    );
    confirmed = rows[0];
  } else {
    const { rows } = await client.query<TAuthUserRow>(
      `update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now() where id = $1 returning ${USER_COLUMNS}`,
      [user.id],
    );
    confirmed = rows[0];
  }
  if (!confirmed) throw authError(403, "otp_expired", invalid);
  const session = await openSession(client, confirmed);
  return sessionJson(ctx.keys, `${ctx.publicUrl}/auth/v1`, session.user, session.sessionId, session.refreshToken, "otp");
}

/** `url` with its fragment replaced by `params` (GoTrue's redirects put the session or the error there). */
function withFragment(url: string, params: URLSearchParams): string {
  const base = url.split("#")[0] ?? url;
  return `${base}#${params.toString()}`;
}

/**
 * GET /auth/v1/verify?token=…&type=…&redirect_to=… (the link in a mail): redeems the token and
 * answers 303 to the allowed redirect_to (or the site URL) with the session in the fragment
 * (`#access_token=…&expires_at=…&expires_in=…&refresh_token=…&token_type=bearer&type=…`), which
 * supabase-js reads on that page. A bad, used or expired token also redirects, with
 * `#error=access_denied&error_code=otp_expired&error_description=…`. Missing type or token is a
 * plain 400, as GoTrue.
 */
export async function verifyGet(
  ctx: TGatewayContext,
  config: TAuthConfig,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const type = url.searchParams.get("type") ?? "";
  const token = url.searchParams.get("token") ?? "";
  if (type === "") throw authError(400, "validation_failed", "Verify requires a verification type");
  if (token === "") throw authError(400, "validation_failed", "Verify requires a token or a token hash");
  const redirectTo = pickRedirect(config, req, url);
  let location: string;
  try {
    const session = await authTransaction(ctx.adminPool, (client) => redeem(ctx, client, type, { linkToken: token }));
    location = withFragment(
      redirectTo,
      new URLSearchParams({
        access_token: session.access_token,
        expires_at: String(session.expires_at),
        expires_in: String(session.expires_in),
        refresh_token: session.refresh_token,
        sb: "",
        token_type: session.token_type,
        type,
      }),
    );
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    const params = new URLSearchParams();
    const oauth = OAUTH_ERROR[err.status];
    if (oauth) params.set("error", oauth);
    params.set("error_code", err.code);
    params.set("error_description", err.message);
    params.set("sb", "");
    location = withFragment(redirectTo, params);
  }
  res.writeHead(303, { location, "x-supabase-api-version": AUTH_API_VERSION, "content-length": "0" }).end();
}

/**
 * POST /auth/v1/verify (supabase-js `verifyOtp`): `{type, token_hash}` or `{type, email, token}`
 * (the 6-digit code) → the session JSON. Validation as GoTrue's VerifyParams.
 */
export async function verifyPost(ctx: TGatewayContext, body: Record<string, unknown>): Promise<TSession> {
  const str = (value: unknown) => (typeof value === "string" ? value : "");
  const type = str(body.type);
  const token = str(body.token);
  const tokenHash = str(body.token_hash);
  if (type === "") throw authError(400, "validation_failed", "Verify requires a verification type");
  if ((token === "") === (tokenHash === "")) throw authError(400, "validation_failed", "Verify requires either a token or a token hash");
  if (tokenHash !== "") {
    if (str(body.email) || str(body.phone) || str(body.redirect_to)) {
      throw authError(400, "validation_failed", "Only the token_hash and type should be provided");
    }
    return authTransaction(ctx.adminPool, (client) => redeem(ctx, client, type, { linkToken: tokenHash }));
  }
  if (str(body.phone) && !str(body.email))
    throw authError(400, "phone_provider_disabled", "Unsupported phone provider: the local stack verifies email codes only");
  if (!str(body.email)) throw authError(400, "validation_failed", "Only an email address or phone number should be provided on verify");
  let email: string;
  try {
    email = parseEmail(body.email);
  } catch {
    throw authError(422, "validation_failed", "Invalid email format");
  }
  return authTransaction(ctx.adminPool, (client) => redeem(ctx, client, type, { email, otp: token }));
}
