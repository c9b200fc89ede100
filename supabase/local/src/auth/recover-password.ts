import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import type { TAuthConfig } from "./auth-config.ts";
import { authError } from "./auth-errors.ts";
import { assertResendAllowed, mailAuthLink } from "./auth-mail.ts";
import { authTransaction } from "./auth-transaction.ts";
import { findUserByEmail, stampUser } from "./email-user.ts";
import { pickRedirect } from "./redirect-url.ts";
import { parseEmail } from "./validate-credentials.ts";

/**
 * POST /auth/v1/recover (supabase-js `resetPasswordForEmail`): mails a recovery link; following it
 * signs the user in (type recovery), and the app then calls `updateUser({ password })`. As GoTrue:
 * an unknown address gets the same `{}` (no account discovery), and a second mail within 60 s is
 * 429 over_email_send_rate_limit.
 */
export async function recoverPassword(
  ctx: TGatewayContext,
  config: TAuthConfig,
  req: IncomingMessage,
  url: URL,
  body: Record<string, unknown>,
) {
  if (body.email === undefined || body.email === null || body.email === "") {
    throw authError(400, "validation_failed", "Password recovery requires an email");
  }
  const email = parseEmail(body.email);
  const redirectTo = pickRedirect(config, req, url);
  await authTransaction(ctx.adminPool, async (client) => {
    const user = await findUserByEmail(client, email);
    if (!user) return;
    assertResendAllowed(config, user.recovery_sent_at);
    await mailAuthLink(client, config, { kind: "recovery", userId: user.id, email, redirectTo });
    await stampUser(client, user.id, ["recovery_sent_at"]);
  });
  return {};
}
