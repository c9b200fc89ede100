import type { TRouteAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import type { TRouteInput } from "./dispatch-route.ts";
import { requireProjectRole } from "./require-project-role.ts";

/**
 * POST /api/runs/:runId/wake (operator token checked by the router): after the dashboard started,
 * cancelled or asked to roll back a run's changeset (each written to the database first, so it
 * also works in Backup), the executor looks at the run now instead of at its next poll: claims it
 * when queued, aborts it when this executor works it and it was cancelled, and picks up a rollback.
 * Any member may wake (the change itself was authorised by the database); 202 with the status seen.
 */
export async function handleWakeRun(
  { caller, params }: TRouteInput<"wakeRun">,
  deps: {
    db: TDb;
    wakeRun: (runId: string, status: string) => Promise<string>;
    wakeRollbacks: () => void;
    accepting: () => boolean;
    log: Logger;
  },
): Promise<TRouteAnswer<"wakeRun">> {
  const { runId } = params;
  const run = await deps.db.from("ai_runs").select("id, project_id, status").eq("id", runId).maybeSingle();
  if (run.error) throw readDbError(run.error, "Could not look up the run", "database_unreachable");
  const notFound = new AppError("not_found", { message: `Run ${runId} was not found in any of your projects: reload the Runs page` });
  if (!run.data) throw notFound;
  await requireProjectRole(deps.db, {
    userId: caller.userId,
    projectId: run.data.project_id,
    roles: ["owner", "operator", "viewer"],
    notFound,
    forbiddenMessage: "Only members of the project can wake its runs",
  });
  if (!deps.accepting()) {
    throw new AppError("control_api_unreachable", {
      message: "The executor is shutting down: the change is saved and is picked up when an executor is back",
    });
  }
  const status = await deps.wakeRun(runId, run.data.status);
  deps.wakeRollbacks();
  deps.log.info({ runId, userId: caller.userId, status }, "run woken through the Control API");
  return { status: 202, body: { run_id: runId, status } };
}
