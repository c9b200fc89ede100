import { AppError } from "@mission-control/shared/errors";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import { requireProjectRole } from "./require-project-role.ts";

/**
 * Checks that `userId` may have message `messageId` delivered now: an owner or operator of the
 * message's project. Throws `not_found` for an unknown message (or one in a project the caller is
 * not a member of, so ids do not leak) and `forbidden` for viewers.
 */
export async function authorizeMessageDelivery(db: TDb, options: { userId: string; messageId: string }): Promise<{ projectId: string }> {
  const message = await db.from("project_chat_messages").select("id, project_id").eq("id", options.messageId).maybeSingle();
  if (message.error) throw readDbError(message.error, "Could not look up the message", "database_unreachable");
  const notFound = new AppError("not_found", {
    message: `Message ${options.messageId} was not found in any of your projects: send it first with send_chat_message`,
  });
  if (!message.data) throw notFound;
  await requireProjectRole(db, {
    userId: options.userId,
    projectId: message.data.project_id,
    roles: ["owner", "operator"],
    notFound,
    forbiddenMessage: "Viewers cannot deliver messages: ask an owner for the operator role",
  });
  return { projectId: message.data.project_id };
}
