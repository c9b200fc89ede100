import type { TRouteAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import { readWorkspaceFile } from "../runs/read-workspace-file.ts";
import type { TRouteInput } from "./dispatch-route.ts";
import { requireProjectRole } from "./require-project-role.ts";

/**
 * GET /api/changesets/:changesetId/current (operator token checked by the router): each file of the
 * changeset as it is in the workspace now, so the review shows the diff against the real file and
 * says when a file changed since the proposal (its apply would be refused). Members of the
 * changeset's project only; a file outside the workspace or unreadable reads as absent.
 */
export async function handleReadChangesetCurrent(
  { caller, params }: TRouteInput<"readChangesetCurrent">,
  deps: { db: TDb; workspaceDir: string },
): Promise<TRouteAnswer<"readChangesetCurrent">> {
  const { changesetId } = params;
  const changeset = await deps.db.from("changesets").select("id, project_id").eq("id", changesetId).maybeSingle();
  if (changeset.error) throw readDbError(changeset.error, "Could not look up the changeset", "database_unreachable");
  const notFound = new AppError("not_found", {
    message: `Changeset ${changesetId} was not found in any of your projects: reload the page`,
  });
  if (!changeset.data) throw notFound;
  await requireProjectRole(deps.db, {
    userId: caller.userId,
    projectId: changeset.data.project_id,
    roles: ["owner", "operator", "viewer"],
    notFound,
    forbiddenMessage: "Only members of the project can read its changesets",
  });
  const files = await deps.db
    .from("changeset_files")
    .select("path, base_sha256")
    .eq("changeset_id", changesetId)
    .order("position", { ascending: true });
  if (files.error) throw readDbError(files.error, "Could not read the changeset's files", "database_unreachable");
  const current = await Promise.all(
    files.data.map(async (file) => {
      const read = await readWorkspaceFile(deps.workspaceDir, file.path, { maxBytes: 1_000_000 });
      return {
        path: file.path,
        exists: read.exists,
        sha256: read.sha256,
        content: read.content,
        matches_base: read.sha256 === file.base_sha256,
      };
    }),
  );
  return { status: 200, body: { changeset_id: changesetId, files: current } };
}
