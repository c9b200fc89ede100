import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import type { TAuthConfig } from "./auth-config.ts";
import { authError } from "./auth-errors.ts";
import { mailAuthLink } from "./auth-mail.ts";
import { authTransaction } from "./auth-transaction.ts";
import { findUserByEmail, insertPasswordlessUser, parseRequiredEmail, stampUser } from "./email-user.ts";
import { pickRedirect } from "./redirect-url.ts";
import { userJson } from "./user-json.ts";
import { parseMetadata } from "./validate-credentials.ts";

/** GoTrue's DuplicateEmailMsg. */
export const DUPLICATE_EMAIL = "A user with this email address has already been registered";

/**
 * POST /auth/v1/invite (service role): creates an unconfirmed account with `data` as its user
 * metadata and mails it an invite link (type invite) landing on the allowed redirect_to. As
 * GoTrue: an address that is already a confirmed user is 422 email_exists; an invitee who has not
 * accepted yet gets a new link (the old one stops working).
 */
export async function inviteUser(ctx: TGatewayContext, config: TAuthConfig, req: IncomingMessage, url: URL, body: Record<string, unknown>) {
  const email = parseRequiredEmail(body.email);
  const userMetadata = parseMetadata(body.data);
  const redirectTo = pickRedirect(config, req, url);
  return authTransaction(ctx.adminPool, async (client) => {
    const existing = await findUserByEmail(client, email);
    if (existing?.email_confirmed_at) throw authError(422, "email_exists", DUPLICATE_EMAIL);
    const user = existing ?? (await insertPasswordlessUser(client, { email, userMetadata }));
    if (!user) throw authError(422, "email_exists", DUPLICATE_EMAIL);
    await mailAuthLink(client, config, { kind: "invite", userId: user.id, email, redirectTo });
    return userJson(await stampUser(client, user.id, ["invited_at", "confirmation_sent_at"]));
  });
}
