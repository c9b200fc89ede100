import { AppError } from "@mission-control/shared/errors";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import { requireProjectRole } from "./require-project-role.ts";

/**
 * Checks that `userId` may have agent provision request `requestId` applied now: an owner or
 * operator of its project, and an owner for a delete (as the table's policies require). Throws
 * `not_found` for an unknown request (or one in a project the caller is not a member of) and
 * `forbidden` otherwise.
 */
export async function authorizeProvisionRequest(
  db: TDb,
  options: { userId: string; requestId: string },
): Promise<{ projectId: string; action: string; status: string }> {
  const request = await db
    .from("agent_provision_requests")
    .select("id, project_id, action, status")
    .eq("id", options.requestId)
    .maybeSingle();
  if (request.error) throw readDbError(request.error, "Could not look up the agent change", "database_unreachable");
  const notFound = new AppError("not_found", {
    message: `Agent change ${options.requestId} was not found in any of your projects: save it first with request_agent_provision`,
  });
  if (!request.data) throw notFound;
  const deleting = request.data.action === "delete";
  await requireProjectRole(db, {
    userId: options.userId,
    projectId: request.data.project_id,
    roles: deleting ? ["owner"] : ["owner", "operator"],
    notFound,
    forbiddenMessage: deleting
      ? "Only owners can delete agents: ask an owner of the project"
      : "Viewers cannot change agents: ask an owner for the operator role",
  });
  return { projectId: request.data.project_id, action: request.data.action, status: request.data.status };
}
