import { z } from "zod";
import { SKILL_STATUSES } from "../schemas/column-enums.ts";
import { ZSkillRequirementResult } from "../schemas/skill.ts";

/** Path parameters of `POST /api/skills/:skillId/check`. */
export const ZSkillParams = z.object({
  skillId: z.guid({ error: (issue) => `${String(issue.input)} is not a skill id (a UUID)` }),
});
/** Path parameters of `POST /api/skills/:skillId/check`. */
export type TSkillParams = z.infer<typeof ZSkillParams>;

/**
 * The 200 answer of `POST /api/skills/:skillId/check`: the executor checked every requirement of
 * the skill now and wrote the verdict into skills_mirror (the same row the page subscribes to).
 */
export const ZCheckSkillAnswer = z.object({
  skill_id: z.string(),
  status: z.enum(SKILL_STATUSES),
  results: z.array(ZSkillRequirementResult),
  reasons: z.array(z.string()),
  checked_at: z.string(),
  checked_by: z.string(),
});
/** The 200 answer of `POST /api/skills/:skillId/check`. */
export type TCheckSkillAnswer = z.infer<typeof ZCheckSkillAnswer>;
