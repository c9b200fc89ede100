import type pg from "pg";
import { renderAuthMail, type TAuthMailKind } from "../mail/mail-templates.ts";
import { storeMail } from "../mail/mailbox-store.ts";
import type { TAuthConfig } from "./auth-config.ts";
import { AuthError } from "./auth-errors.ts";
import { issueOneTimeToken, type TIssuedToken, type TTokenType } from "./one-time-token.ts";

/** GoTrue's action link: `<external url>/verify?token=…&type=…&redirect_to=…`. */
export function actionLink(config: TAuthConfig, linkToken: string, type: TTokenType, redirectTo: string): string {
  const query = new URLSearchParams({ token: linkToken, type, redirect_to: redirectTo });
  return `${config.externalUrl}/verify?${query.toString()}`;
}

/**
 * GoTrue's per-user resend limit (SMTP_MAX_FREQUENCY): the same kind of mail goes to a user at
 * most once a minute; earlier asks get 429 over_email_send_rate_limit with the seconds to wait.
 */
export function assertResendAllowed(config: TAuthConfig, sentAt: Date | null): void {
  if (!sentAt) return;
  const waitMs = sentAt.getTime() + config.resendAfterSeconds * 1000 - Date.now();
  if (waitMs <= 0) return;
  throw new AuthError(
    429,
    "over_email_send_rate_limit",
    `For security purposes, you can only request this after ${Math.ceil(waitMs / 1000)} seconds.`,
  );
}

/**
 * Issues a one-time token and "sends" its mail (stores it in the local mailbox) in the caller's
 * transaction: link and code, to `email`, landing on `redirectTo` after /verify.
 */
export async function mailAuthLink(
  client: pg.PoolClient,
  config: TAuthConfig,
  input: { kind: TAuthMailKind; userId: string; email: string; redirectTo: string },
): Promise<TIssuedToken> {
  const issued = await issueOneTimeToken(client, config, { userId: input.userId, type: input.kind, email: input.email });
  const link = actionLink(config, issued.linkToken, input.kind, input.redirectTo);
  await storeMail(
    client,
    renderAuthMail(input.kind, { to: input.email, link, otp: issued.otp, expiresInMinutes: config.otpExpirySeconds / 60 }),
  );
  return issued;
}
