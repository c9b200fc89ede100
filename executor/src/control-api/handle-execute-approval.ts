import type { TRouteAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { authorizeProposalExecution } from "./authorize-proposal-execution.ts";
import type { TRouteInput } from "./dispatch-route.ts";

/**
 * POST /api/approvals/:proposalId/execute (operator token and proposal id checked by the router):
 * checks the operator's role, claims that approved proposal now and answers 202; the action runs
 * in the background. `claimed` is false when it was not waiting to run here (another executor or
 * realtime got it first, or it is not approved): its `status` says where it is.
 */
export async function handleExecuteApproval(
  { caller, params }: TRouteInput<"executeApproval">,
  deps: {
    db: TDb;
    claimProposal: (proposalId: string) => Promise<TProposalRow | null>;
    accepting: () => boolean;
    log: Logger;
  },
): Promise<TRouteAnswer<"executeApproval">> {
  const { proposalId } = params;
  const { status } = await authorizeProposalExecution(deps.db, { userId: caller.userId, proposalId });
  if (!deps.accepting()) {
    throw new AppError("control_api_unreachable", {
      message: "The executor is shutting down: the approval is saved and runs when an executor is back",
    });
  }
  const claimed = status === "approved" ? await deps.claimProposal(proposalId) : null;
  deps.log.info({ proposalId, userId: caller.userId, claimed: claimed !== null, status }, "execution requested through the Control API");
  return { status: 202, body: { proposal_id: proposalId, claimed: claimed !== null, status: claimed ? claimed.status : status } };
}
