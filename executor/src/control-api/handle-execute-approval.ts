import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb } from "../db/executor-client.ts";
import { authorizeProposalExecution } from "./authorize-proposal-execution.ts";
import type { TTokenVerifier } from "./create-token-verifier.ts";
import { sendJson } from "./send-json.ts";

/**
 * POST /api/approvals/:proposalId/execute: verifies the operator's token and role, claims that
 * approved proposal now and answers 202; the action runs in the background. `claimed` is false
 * when it was not waiting to run here (another executor or realtime got it first, or it is not
 * approved): its `status` says where it is.
 */
export async function handleExecuteApproval(
  req: IncomingMessage,
  res: ServerResponse,
  proposalId: string,
  deps: {
    db: TDb;
    verifier: TTokenVerifier;
    claimProposal: (proposalId: string) => Promise<TProposalRow | null>;
    accepting: () => boolean;
    log: Logger;
  },
): Promise<void> {
  const caller = await deps.verifier.verify(req.headers.authorization);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(proposalId)) {
    throw new AppError("invalid_input", { message: `${proposalId} is not a proposal id (a UUID)` });
  }
  const { status } = await authorizeProposalExecution(deps.db, { userId: caller.userId, proposalId });
  if (!deps.accepting()) {
    throw new AppError("control_api_unreachable", {
      message: "The executor is shutting down: the approval is saved and runs when an executor is back",
    });
  }
  const claimed = status === "approved" ? await deps.claimProposal(proposalId) : null;
  deps.log.info({ proposalId, userId: caller.userId, claimed: claimed !== null, status }, "execution requested through the Control API");
  sendJson(res, 202, { proposal_id: proposalId, claimed: claimed !== null, status: claimed ? claimed.status : status });
}
