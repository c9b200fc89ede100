import type { TCheckSkillAnswer, TRouteAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import type { TRouteInput } from "./dispatch-route.ts";
import { requireProjectRole } from "./require-project-role.ts";

/**
 * POST /api/skills/:skillId/check (operator token checked by the router): the executor checks every
 * requirement of the skill now, writes the verdict into skills_mirror and answers it (200). Any
 * member may ask (a check changes nothing but the verdict); a skill of another project is 404.
 */
export async function handleCheckSkill(
  { caller, params }: TRouteInput<"checkSkill">,
  deps: { db: TDb; checkSkill: (skillId: string) => Promise<TCheckSkillAnswer>; accepting: () => boolean; log: Logger },
): Promise<TRouteAnswer<"checkSkill">> {
  const { skillId } = params;
  const skill = await deps.db.from("skills").select("id, project_id").eq("id", skillId).maybeSingle();
  if (skill.error) throw readDbError(skill.error, "Could not look up the skill", "database_unreachable");
  const notFound = new AppError("not_found", { message: `Skill ${skillId} was not found in any of your projects: reload the Skills page` });
  if (!skill.data) throw notFound;
  await requireProjectRole(deps.db, {
    userId: caller.userId,
    projectId: skill.data.project_id,
    roles: ["owner", "operator", "viewer"],
    notFound,
    forbiddenMessage: "Only members of the project can check its skills",
  });
  if (!deps.accepting()) {
    throw new AppError("control_api_unreachable", {
      message: "The executor is shutting down: check the skill again when an executor is back",
    });
  }
  const answer = await deps.checkSkill(skillId);
  deps.log.info({ skillId, userId: caller.userId, status: answer.status }, "skill checked through the Control API");
  return { status: 200, body: answer };
}
