/** What the invitation link brought to /auth/accept. */
export type TInviteLink =
  /** A session from GoTrue's /verify: `invite` for a new account (it has no password yet), `magiclink` for an existing one. */
  | { kind: "session"; accessToken: string; refreshToken: string; type: "invite" | "magiclink" | "other" }
  /** GoTrue refused the link (expired, used, unknown): what to tell the user. */
  | { kind: "error"; message: string }
  /** No token and no error: the page was opened without the mail's link (or reloaded after it was read). */
  | { kind: "none" };

/** The words for a refused link: GoTrue's reason, then what to do. */
function explainLinkError(code: string, description: string): string {
  const expired = code === "otp_expired" || /expired|invalid/i.test(description);
  if (expired) {
    return (
      "This invitation link has expired or was already used. If you already chose a password, sign in; " +
      "otherwise ask the project owner to send the invitation again (Settings → Members → Retry)."
    );
  }
  const reason = description || code || "GoTrue gave no reason";
  return `The invitation link did not sign you in (${reason}). Ask the project owner to send the invitation again, or sign in if you have an account.`;
}

/**
 * Reads the session or the error GoTrue's /verify put in the URL. The implicit flow puts both in
 * the fragment (`#access_token=…&refresh_token=…&type=invite`, `#error=…&error_description=…`),
 * which never reaches a server; an error may also come as query parameters.
 */
export function readInviteLink(hash: string, search: string): TInviteLink {
  const fragment = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  const query = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  for (const params of [fragment, query]) {
    const error = params.get("error") ?? params.get("error_code");
    if (error)
      return { kind: "error", message: explainLinkError(params.get("error_code") ?? error, params.get("error_description") ?? "") };
  }
  const accessToken = fragment.get("access_token");
  const refreshToken = fragment.get("refresh_token");
  if (!accessToken || !refreshToken) {
    if (accessToken || refreshToken) return { kind: "error", message: explainLinkError("incomplete", "the link lost part of its token") };
    return { kind: "none" };
  }
  const type = fragment.get("type");
  return { kind: "session", accessToken, refreshToken, type: type === "invite" || type === "magiclink" ? type : "other" };
}
