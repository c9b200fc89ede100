import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import type { TAuthConfig } from "./auth-config.ts";
import { authError } from "./auth-errors.ts";
import { assertResendAllowed, mailAuthLink } from "./auth-mail.ts";
import { authTransaction } from "./auth-transaction.ts";
import { findUserById, stampUser } from "./email-user.ts";
import { DUPLICATE_EMAIL } from "./invite-user.ts";
import { pickRedirect } from "./redirect-url.ts";
import type { TAuthUserRow } from "./user-json.ts";

/**
 * The email part of PUT /auth/v1/user (`updateUser({ email })`): keeps the new address in
 * `email_change` (the answer's `new_email`) and mails a confirmation link to the NEW address; the
 * email changes only when that link (or its code, type email_change) is verified. As GoTrue with
 * secure email change off (one confirmation): an address another user has is 422 email_exists, a
 * second request within 60 s is 429 over_email_send_rate_limit.
 */
export async function requestEmailChange(
  ctx: TGatewayContext,
  config: TAuthConfig,
  req: IncomingMessage,
  url: URL,
  userId: string,
  newEmail: string,
): Promise<TAuthUserRow> {
  const redirectTo = pickRedirect(config, req, url);
  return authTransaction(ctx.adminPool, async (client) => {
    const user = await findUserById(client, userId);
    if (!user) throw authError(404, "user_not_found", "User not found");
    const taken = await client.query("select 1 from auth.users where lower(email) = $1 and id <> $2", [newEmail, userId]);
    if (taken.rowCount) throw authError(422, "email_exists", DUPLICATE_EMAIL);
    assertResendAllowed(config, user.email_change_sent_at);
    await client.query("update auth.users set email_change = $2 where id = $1", [userId, newEmail]);
    await mailAuthLink(client, config, { kind: "email_change", userId, email: newEmail, redirectTo });
    return stampUser(client, userId, ["email_change_sent_at"]);
  });
}
