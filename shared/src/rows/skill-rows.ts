import { z } from "zod";
import { AGENT_TOOLS, SKILL_STATUSES } from "../schemas/column-enums.ts";
import { ZSkillRequirement, ZSkillRequirementResult } from "../schemas/skill.ts";
import { seq } from "./edge-fields.ts";

/** A skill of the project: what agents can do once its requirements are met. */
export const ZSkill = z.object({
  id: z.string(),
  project_id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  requirements: z.array(ZSkillRequirement),
  setup_steps: z.array(z.string()),
  tools: z.array(z.enum(AGENT_TOOLS)),
  builtin: z.boolean(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  seq,
});
/** A skills row. */
export type TSkill = z.infer<typeof ZSkill>;

/** The executor's latest verdict on a skill. */
export const ZSkillMirror = z.object({
  skill_id: z.string(),
  project_id: z.string(),
  status: z.enum(SKILL_STATUSES),
  results: z.array(ZSkillRequirementResult),
  reasons: z.array(z.string()),
  checked_at: z.string(),
  checked_by: z.string(),
  seq,
});
/** A skills_mirror row. */
export type TSkillMirror = z.infer<typeof ZSkillMirror>;
