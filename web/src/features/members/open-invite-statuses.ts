import type { TInviteStatus } from "@mission-control/shared/schemas";

/** Invitations that can still add someone (and can be revoked): queued, sent, or failed (Retry queues it again). */
export const OPEN_INVITE_STATUSES = ["queued", "sent", "failed"] as const satisfies readonly TInviteStatus[];
