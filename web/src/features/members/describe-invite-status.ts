import { assertNever } from "@mission-control/shared/errors";
import type { TInviteStatus } from "@mission-control/shared/schemas";

/** How the Members page shows an invitation's status: a word, a tone, and what happens next. */
export interface TInviteStatusView {
  label: string;
  tone: "muted" | "ok" | "warn" | "danger";
  /** True while the invitation can still add someone (it can be revoked). */
  pending: boolean;
  next: string;
}

/** The view of each invitation status (exhaustive: a new status in the database fails to compile here). */
export function describeInviteStatus(status: TInviteStatus, error: string | null): TInviteStatusView {
  switch (status) {
    case "queued":
      // A failed attempt goes back to the queue with its error until the last one.
      return error
        ? {
            label: "retrying",
            tone: "warn",
            pending: true,
            next: `The last attempt to mail it failed (${error}); the executor tries again.`,
          }
        : {
            label: "queued",
            tone: "warn",
            pending: true,
            next: "Waiting for the executor to send the mail (it sends when it is running).",
          };
    case "sent":
      return { label: "sent", tone: "ok", pending: true, next: "Mail sent: they join when they open its link." };
    case "accepted":
      return { label: "accepted", tone: "muted", pending: false, next: "Joined the project." };
    case "revoked":
      return { label: "revoked", tone: "muted", pending: false, next: "Revoked: its link adds no one." };
    case "failed":
      return {
        label: "failed",
        tone: "danger",
        pending: true,
        next: `The mail was not sent: ${error ?? "no reason was given"}. Fix the cause, then Retry.`,
      };
    default:
      return assertNever(status);
  }
}
