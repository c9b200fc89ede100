import type { SupabaseClient } from "@supabase/supabase-js";
import type { TDb } from "../db/executor-client.ts";
import type { TClaimedInvite } from "./claim-project-invites.ts";
import { classifyInviteError, isEmailExists } from "./classify-invite-error.ts";
import type { TInviteOutcome } from "./finish-project-invite.ts";

/** What mailing an invite needs: the service-role client, a session-less client for magic links, and where links land. */
export type TInviteMailDeps = {
  /** The executor's service-role client (auth.admin.inviteUserByEmail). */
  admin: TDb;
  /** A client that stores no session and uses the implicit flow (auth.signInWithOtp for existing accounts). */
  otp: SupabaseClient;
  /** The dashboard's origin: links land on <webOrigin>/auth/accept, which accepts the invites. */
  webOrigin: string;
  /** For error messages. */
  authUrl: string;
};

/**
 * Mails one invite. A new address gets GoTrue's invite mail (it creates the account; following the
 * link confirms the address, which accepts the invite). An address that already has an account
 * (422 email_exists) gets a magic link instead, without creating anything; signing in with it
 * lands on /auth/accept. Never throws: every failure is an outcome with a reason.
 */
export async function sendInviteMail(deps: TInviteMailDeps, invite: TClaimedInvite): Promise<TInviteOutcome> {
  const redirectTo = `${deps.webOrigin}/auth/accept`;
  try {
    const invited = await deps.admin.auth.admin.inviteUserByEmail(invite.email, {
      redirectTo,
      data: { invited_to_project: invite.project_slug },
    });
    if (!invited.error) return { status: "sent", via: "invite" };
    if (!isEmailExists(invited.error)) return { status: "failed", ...classifyInviteError(invited.error, deps.authUrl) };

    const linked = await deps.otp.auth.signInWithOtp({
      email: invite.email,
      options: { shouldCreateUser: false, emailRedirectTo: redirectTo },
    });
    if (!linked.error) return { status: "sent", via: "magic_link" };
    return { status: "failed", ...classifyInviteError(linked.error, deps.authUrl) };
  } catch (err) {
    // supabase-js returns errors; a throw is the network or a bug, both worth another attempt.
    const message = err instanceof Error ? err.message : String(err);
    return { status: "failed", ...classifyInviteError({ message, status: 0 }, deps.authUrl) };
  }
}
