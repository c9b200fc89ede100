import type { TApplyScheduleAnswer, TRouteAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import type { TRouteInput } from "./dispatch-route.ts";
import { requireProjectRole } from "./require-project-role.ts";

/**
 * POST /api/schedule/apply {project_id} (operator token checked by the router): checks the caller
 * is an owner or operator of the project, applies its queued schedule requests now (create, edit,
 * pause / resume, delete, Run now; in the order they were made) and rings the scheduler so a Run
 * now fires at once. Answers 200 with what became of each request.
 */
export async function handleApplySchedule(
  { caller, body }: TRouteInput<"applySchedule">,
  deps: { db: TDb; applySchedule: (projectId: string) => Promise<TApplyScheduleAnswer>; accepting: () => boolean; log: Logger },
): Promise<TRouteAnswer<"applySchedule">> {
  await requireProjectRole(deps.db, {
    userId: caller.userId,
    projectId: body.project_id,
    roles: ["owner", "operator"],
    notFound: new AppError("not_found", { message: `There is no project ${body.project_id} you are a member of: reload the page` }),
    forbiddenMessage: "Only operators and owners change scheduled jobs: ask an owner for the operator role",
  });
  if (!deps.accepting()) {
    throw new AppError("control_api_unreachable", {
      message: "The executor is shutting down: the schedule change is saved and applies when an executor is back",
    });
  }
  const answer = await deps.applySchedule(body.project_id);
  deps.log.info(
    { projectId: body.project_id, userId: caller.userId, applied: answer.applied.length },
    "schedule requests applied through the Control API",
  );
  return { status: 200, body: answer };
}
