import { AppError } from "@mission-control/shared/errors";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import { requireProjectRole } from "./require-project-role.ts";

/**
 * Checks that `userId` may ask for proposal `proposalId` to run now: an owner or operator of its
 * project. Throws `not_found` for an unknown proposal (or one in a project the caller is not a
 * member of, so ids do not leak) and `forbidden` for viewers. Returns the proposal's status.
 */
export async function authorizeProposalExecution(
  db: TDb,
  options: { userId: string; proposalId: string },
): Promise<{ projectId: string; status: string }> {
  const proposal = await db.from("action_proposals").select("id, project_id, status").eq("id", options.proposalId).maybeSingle();
  if (proposal.error) throw readDbError(proposal.error, "Could not look up the proposal", "database_unreachable");
  const notFound = new AppError("not_found", {
    message: `Proposal ${options.proposalId} was not found in any of your projects: reload the approvals inbox`,
  });
  if (!proposal.data) throw notFound;
  await requireProjectRole(db, {
    userId: options.userId,
    projectId: proposal.data.project_id,
    roles: ["owner", "operator"],
    notFound,
    forbiddenMessage: "Viewers cannot run approved actions: ask an owner for the operator role",
  });
  return { projectId: proposal.data.project_id, status: proposal.data.status };
}
