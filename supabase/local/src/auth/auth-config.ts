/**
 * What GoTrue reads from its configuration for the email flows, fixed for the local stack.
 * The values are GoTrue's defaults (and the repo's supabase/config.toml), so a flow that works
 * here works the same on a hosted project with its default settings.
 */
export interface TAuthConfig {
  /** GoTrue's SITE_URL: where links land when no allowed redirect_to is given (config.toml `site_url`). */
  siteUrl: string;
  /** GoTrue's API_EXTERNAL_URL: the base of the /verify links in mails (the gateway's /auth/v1). */
  externalUrl: string;
  /** GOTRUE_MAILER_OTP_EXP: how long an emailed link or code works, in seconds (default 1 h). */
  otpExpirySeconds: number;
  /** GOTRUE_SMTP_MAX_FREQUENCY: the wait before the same kind of mail goes to the same user again (default 60 s). */
  resendAfterSeconds: number;
  /** GOTRUE_MAILER_OTP_LENGTH: digits of the emailed code (default 6). */
  otpLength: number;
}

/** The dashboard's default address (`pnpm dev` serves it on WEB_PORT 3000), as config.toml's site_url. */
export const LOCAL_SITE_URL = "http://127.0.0.1:3000";

/** The auth settings of a gateway serving at `publicUrl`. */
export function localAuthConfig(publicUrl: string): TAuthConfig {
  return {
    siteUrl: LOCAL_SITE_URL,
    externalUrl: `${publicUrl}/auth/v1`,
    otpExpirySeconds: 3600,
    resendAfterSeconds: 60,
    otpLength: 6,
  };
}
