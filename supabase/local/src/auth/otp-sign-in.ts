import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import type { TAuthConfig } from "./auth-config.ts";
import { authError } from "./auth-errors.ts";
import { assertResendAllowed, mailAuthLink } from "./auth-mail.ts";
import { authTransaction } from "./auth-transaction.ts";
import { findUserByEmail, insertPasswordlessUser, parseRequiredEmail, stampUser } from "./email-user.ts";
import { pickRedirect } from "./redirect-url.ts";
import { parseMetadata } from "./validate-credentials.ts";

/**
 * POST /auth/v1/otp (supabase-js `signInWithOtp({ email })`): mails a magic link and a 6-digit
 * code. As GoTrue: `create_user` (default true) makes an account for an unknown address (with
 * `data` as its metadata; it is confirmed when the link or code is used), `create_user: false`
 * for an unknown address is 422 otp_disabled, and a second mail within 60 s is 429
 * over_email_send_rate_limit. Answers `{}`. Phone sign-in is not served by the local stack.
 */
export async function signInWithOtp(
  ctx: TGatewayContext,
  config: TAuthConfig,
  req: IncomingMessage,
  url: URL,
  body: Record<string, unknown>,
) {
  const hasPhone = typeof body.phone === "string" && body.phone !== "";
  const hasEmail = typeof body.email === "string" && body.email !== "";
  if (hasPhone && hasEmail) throw authError(400, "validation_failed", "Only an email address or phone number should be provided");
  if (hasPhone) throw authError(400, "phone_provider_disabled", "Unsupported phone provider: the local stack signs in by email only");
  if (!hasEmail) throw authError(400, "validation_failed", "One of email or phone must be set");
  const email = parseRequiredEmail(body.email);
  const createUser = body.create_user !== false;
  const userMetadata = parseMetadata(body.data);
  const redirectTo = pickRedirect(config, req, url);
  await authTransaction(ctx.adminPool, async (client) => {
    let user = await findUserByEmail(client, email);
    if (!user) {
      if (!createUser) throw authError(422, "otp_disabled", "Signups not allowed for otp");
      user = await insertPasswordlessUser(client, { email, userMetadata });
      // Created meanwhile by another request: that request's mail is the one to use.
      if (!user) throw authError(429, "over_email_send_rate_limit", "For security purposes, you can only request this after 60 seconds.");
    }
    assertResendAllowed(config, user.recovery_sent_at);
    await mailAuthLink(client, config, { kind: "magiclink", userId: user.id, email, redirectTo });
    await stampUser(client, user.id, ["recovery_sent_at"]);
  });
  return {};
}
