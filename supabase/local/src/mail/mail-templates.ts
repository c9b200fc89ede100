/** A mail as the local stack would send it. */
export interface TMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Every link in the mail, in order, with what it does. */
  links: Array<{ label: string; url: string }>;
}

/** The auth mails the local stack writes (GoTrue's template names). */
export type TAuthMailKind = "invite" | "magiclink" | "recovery" | "email_change";

/** Escapes text for HTML text and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const WORDING: Record<TAuthMailKind, { subject: string; intro: string; label: string }> = {
  invite: {
    subject: "You have been invited",
    intro: "You have been invited to Mission Control. Follow this link to accept the invite and sign in:",
    label: "Accept the invite",
  },
  magiclink: {
    subject: "Your sign-in link",
    intro: "Follow this link to sign in to Mission Control:",
    label: "Sign in",
  },
  recovery: {
    subject: "Reset your password",
    intro: "Follow this link to sign in to Mission Control, then choose a new password:",
    label: "Reset the password",
  },
  email_change: {
    subject: "Confirm your new email address",
    intro: "Follow this link to make this your Mission Control sign-in address:",
    label: "Confirm the new address",
  },
};

/**
 * One auth mail: short and plain, saying what the link does, the code that works instead of it,
 * and when both expire. `expiresInMinutes` is the token's lifetime.
 */
export function renderAuthMail(kind: TAuthMailKind, input: { to: string; link: string; otp: string; expiresInMinutes: number }): TMail {
  const w = WORDING[kind];
  const expiry = `The link and the code work once and expire in ${input.expiresInMinutes} minutes.`;
  const ignore = "If you did not ask for this, ignore this mail.";
  const text = [w.intro, "", input.link, "", `Or enter this code: ${input.otp}`, "", expiry, ignore, ""].join("\n");
  const html = [
    `<p>${escapeHtml(w.intro)}</p>`,
    `<p><a href="${escapeHtml(input.link)}">${escapeHtml(w.label)}</a></p>`,
    `<p>Or enter this code: <strong>${escapeHtml(input.otp)}</strong></p>`,
    `<p>${escapeHtml(expiry)} ${escapeHtml(ignore)}</p>`,
  ].join("\n");
  return { to: input.to, subject: w.subject, text, html, links: [{ label: w.label, url: input.link }] };
}
