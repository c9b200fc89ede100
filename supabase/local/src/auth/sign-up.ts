import type { TGatewayContext } from "../http/module-context.ts";
import { authError } from "./auth-errors.ts";
import { authTransaction } from "./auth-transaction.ts";
import { openSession, sessionJson } from "./issue-session.ts";
import { type TAuthUserRow, USER_COLUMNS } from "./user-json.ts";
import { parseEmail, parseMetadata, parseNewPassword } from "./validate-credentials.ts";

/** Inserts a user with a bcrypt password hash (pgcrypto, cost 10, as GoTrue). Null when the email is taken. */
export async function insertUser(
  ctx: TGatewayContext,
  input: {
    email: string;
    password: string;
    userMetadata: Record<string, unknown>;
    appMetadata?: Record<string, unknown>;
    confirmed: boolean;
  },
  client: { query: TGatewayContext["adminPool"]["query"] } = ctx.adminPool,
): Promise<TAuthUserRow | null> {
  const appMetadata = { provider: "email", providers: ["email"], ...input.appMetadata };
  const { rows } = await client.query<TAuthUserRow>(
    `insert into auth.users (email, encrypted_password, raw_user_meta_data, raw_app_meta_data, email_confirmed_at)
     values ($1, extensions.crypt($2, extensions.gen_salt('bf', 10)), $3, $4, case when $5 then now() end)
     on conflict do nothing
     returning ${USER_COLUMNS}`,
    [input.email, input.password, input.userMetadata, appMetadata, input.confirmed],
  );
  return rows[0] ?? null;
}

/**
 * POST /auth/v1/signup: creates a confirmed account and signs it in at once (the local stack
 * runs with email confirmations off, like `supabase start`).
 */
export async function signUp(ctx: TGatewayContext, body: Record<string, unknown>) {
  const email = parseEmail(body.email);
  const password = parseNewPassword(body.password);
  const userMetadata = parseMetadata(body.data);
  return authTransaction(ctx.adminPool, async (client) => {
    const user = await insertUser(ctx, { email, password, userMetadata, confirmed: true }, client);
    if (!user) throw authError(422, "user_already_exists", "User already registered");
    const session = await openSession(client, user);
    return sessionJson(ctx.keys, `${ctx.publicUrl}/auth/v1`, session.user, session.sessionId, session.refreshToken, "password");
  });
}
