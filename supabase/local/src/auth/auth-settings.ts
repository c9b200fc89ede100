/** Sign-in providers of GoTrue's GET /settings, all off on the local stack but email (and anonymous when enabled). */
const EXTERNAL_PROVIDERS = [
  "apple",
  "azure",
  "bitbucket",
  "discord",
  "facebook",
  "snapchat",
  "figma",
  "fly",
  "github",
  "gitlab",
  "google",
  "keycloak",
  "kakao",
  "linkedin",
  "linkedin_oidc",
  "notion",
  "spotify",
  "slack",
  "slack_oidc",
  "workos",
  "twitch",
  "twitter",
  "zoom",
] as const;

/**
 * GET /auth/v1/settings in GoTrue's shape, saying what the local stack does: email sign-in
 * (password, magic link and code, invites, recovery; mails go to the local mailbox), sign-ups
 * confirmed at once (`mailer_autoconfirm`, as `supabase start` with confirmations off), no phone,
 * SAML or passkeys.
 */
export function authSettings(options: { anonymousUsers: boolean }) {
  return {
    external: {
      anonymous_users: options.anonymousUsers,
      ...Object.fromEntries(EXTERNAL_PROVIDERS.map((name) => [name, false])),
      email: true,
      phone: false,
    },
    disable_signup: false,
    mailer_autoconfirm: true,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  };
}
