import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import type { TAuthConfig } from "./auth-config.ts";
import { authError } from "./auth-errors.ts";
import { actionLink } from "./auth-mail.ts";
import { authTransaction } from "./auth-transaction.ts";
import { findUserByEmail, insertPasswordlessUser, parseRequiredEmail, stampUser } from "./email-user.ts";
import { DUPLICATE_EMAIL } from "./invite-user.ts";
import { issueOneTimeToken, type TTokenType } from "./one-time-token.ts";
import { isRedirectAllowed, pickRedirect } from "./redirect-url.ts";
import { type TAuthUserRow, USER_COLUMNS, userJson } from "./user-json.ts";
import { parseMetadata, parseNewPassword } from "./validate-credentials.ts";

const LINK_TYPES = ["signup", "invite", "magiclink", "recovery", "email_change_new", "email_change_current"] as const;

/**
 * POST /auth/v1/admin/generate_link (service role): makes the link and code a mail would carry,
 * sends no mail, and answers GoTrue's shape: the user's fields plus action_link, email_otp,
 * hashed_token, verification_type and redirect_to. As GoTrue: signup and invite create the user
 * (422 email_exists for a confirmed one), a magic link for an unknown address becomes a signup,
 * recovery needs an existing user (404), email_change_new needs `new_email`. The local stack has
 * secure email change off, so email_change_current is refused as GoTrue then refuses it.
 */
export async function generateLink(
  ctx: TGatewayContext,
  config: TAuthConfig,
  req: IncomingMessage,
  url: URL,
  body: Record<string, unknown>,
) {
  const requested = body.type;
  if (typeof requested !== "string" || !(LINK_TYPES as readonly string[]).includes(requested)) {
    throw authError(
      400,
      "validation_failed",
      `Invalid email action link type requested: ${String(requested).slice(0, 50)}; use one of ${LINK_TYPES.join(", ")}`,
    );
  }
  if (requested === "email_change_current") {
    throw authError(400, "validation_failed", "Enable secure email change to generate link for current email");
  }
  const email = parseRequiredEmail(body.email);
  const redirectTo =
    typeof body.redirect_to === "string" && isRedirectAllowed(config, body.redirect_to) ? body.redirect_to : pickRedirect(config, req, url);
  const userMetadata = parseMetadata(body.data);
  return authTransaction(ctx.adminPool, async (client) => {
    let user = await findUserByEmail(client, email);
    let type = requested as Exclude<(typeof LINK_TYPES)[number], "email_change_current">;
    if (!user && type === "magiclink") type = "signup";
    if (!user && (type === "recovery" || type === "email_change_new"))
      throw authError(404, "user_not_found", "User with this email not found");
    let tokenType: TTokenType;
    let tokenEmail = email;
    switch (type) {
      case "signup":
      case "invite": {
        if (user?.email_confirmed_at) throw authError(422, "email_exists", DUPLICATE_EMAIL);
        if (!user) {
          user = await insertPasswordlessUser(client, { email, userMetadata });
          if (!user) throw authError(422, "email_exists", DUPLICATE_EMAIL);
          if (requested === "signup") {
            // A requested signup needs its password (GoTrue: 422); a magic link turned signup has none.
            await client.query(
              "update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf', 10)) where id = $1",
              [user.id, parseNewPassword(body.password)],
            );
          }
        } else if (type === "signup") {
          await client.query("update auth.users set raw_user_meta_data = raw_user_meta_data || $2::jsonb where id = $1", [
            user.id,
            userMetadata,
          ]);
        }
        tokenType = type;
        user = await stampUser(client, user.id, type === "invite" ? ["invited_at", "confirmation_sent_at"] : ["confirmation_sent_at"]);
        break;
      }
      case "magiclink":
      case "recovery":
        tokenType = type;
        user = await stampUser(client, (user as TAuthUserRow).id, ["recovery_sent_at"]);
        break;
      case "email_change_new": {
        const newEmail = parseRequiredEmail(body.new_email);
        const taken = await client.query("select 1 from auth.users where lower(email) = $1 and id <> $2", [
          newEmail,
          (user as TAuthUserRow).id,
        ]);
        if (taken.rowCount) throw authError(422, "email_exists", DUPLICATE_EMAIL);
        const { rows } = await client.query<TAuthUserRow>(
          `update auth.users set email_change = $2, email_change_sent_at = now(), updated_at = now() where id = $1 returning ${USER_COLUMNS}`,
          [(user as TAuthUserRow).id, newEmail],
        );
        user = rows[0] as TAuthUserRow;
        tokenType = "email_change";
        tokenEmail = newEmail;
        break;
      }
    }
    const issued = await issueOneTimeToken(client, config, { userId: user.id, type: tokenType, email: tokenEmail });
    return {
      ...userJson(user),
      action_link: actionLink(config, issued.linkToken, tokenType, redirectTo),
      email_otp: issued.otp,
      hashed_token: issued.linkToken,
      verification_type: type,
      redirect_to: redirectTo,
    };
  });
}
