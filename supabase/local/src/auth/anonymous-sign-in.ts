import type { TGatewayContext } from "../http/module-context.ts";
import { authError } from "./auth-errors.ts";
import { authTransaction } from "./auth-transaction.ts";
import { openSession, sessionJson } from "./issue-session.ts";
import { type TAuthUserRow, USER_COLUMNS } from "./user-json.ts";
import { parseMetadata } from "./validate-credentials.ts";

/** True for a sign-up body GoTrue treats as an anonymous sign-in: no email and no phone. */
export function isAnonymousSignUp(body: Record<string, unknown>): boolean {
  const blank = (value: unknown) => value === undefined || value === null || value === "";
  return blank(body.email) && blank(body.phone);
}

/**
 * POST /auth/v1/signup with neither email nor phone (supabase-js `signInAnonymously`): creates an
 * anonymous user (`is_anonymous`, no identities, empty app_metadata, as GoTrue's
 * SignupAnonymously) and signs it in with amr `anonymous`. Refused with GoTrue's 422
 * anonymous_provider_disabled unless the stack allows anonymous sign-ins.
 */
export async function signInAnonymously(
  ctx: Pick<TGatewayContext, "adminPool" | "keys" | "publicUrl" | "anonymousSignIns">,
  body: Record<string, unknown>,
) {
  if (!ctx.anonymousSignIns) {
    throw authError(
      422,
      "anonymous_provider_disabled",
      "Anonymous sign-ins are disabled: start the local stack with MC_STACK_ANONYMOUS_SIGN_INS=true (hosted: enable_anonymous_sign_ins)",
    );
  }
  const userMetadata = parseMetadata(body.data);
  return authTransaction(ctx.adminPool, async (client) => {
    const { rows } = await client.query<TAuthUserRow>(
      `insert into auth.users (is_anonymous, raw_app_meta_data, raw_user_meta_data) values (true, '{}'::jsonb, $1)
       returning ${USER_COLUMNS}`,
      [userMetadata],
    );
    const user = rows[0];
    if (!user) throw new Error("inserting an anonymous user returned no row");
    const session = await openSession(client, user);
    return sessionJson(ctx.keys, `${ctx.publicUrl}/auth/v1`, session.user, session.sessionId, session.refreshToken, "anonymous");
  });
}
