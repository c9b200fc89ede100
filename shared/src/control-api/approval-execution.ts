import { z } from "zod";

/**
 * Path parameters of `POST /api/approvals/:proposalId/execute`. A guid (any 8-4-4-4-12 hex id, as
 * Postgres' uuid type accepts) rather than an RFC 9562 uuid: an unknown id is answered 404 by the lookup.
 */
export const ZExecuteApprovalParams = z.object({
  proposalId: z.guid({ error: (issue) => `${String(issue.input)} is not a proposal id (a UUID)` }),
});
/** Path parameters of `POST /api/approvals/:proposalId/execute`. */
export type TExecuteApprovalParams = z.infer<typeof ZExecuteApprovalParams>;

/**
 * The 202 answer of `POST /api/approvals/:proposalId/execute`. `claimed` is false when the proposal
 * was not waiting to run here (another executor or realtime got it first, or it is not approved):
 * `status` (one of the proposal statuses) says where it is.
 */
export const ZExecuteApprovalAnswer = z.object({ proposal_id: z.string(), claimed: z.boolean(), status: z.string() });
/** The 202 answer of `POST /api/approvals/:proposalId/execute`. */
export type TExecuteApprovalAnswer = z.infer<typeof ZExecuteApprovalAnswer>;
