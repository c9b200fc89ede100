import { z } from "zod";
import { AGENT_TOOLS, SKILL_REQUIREMENT_KINDS } from "./column-enums.ts";

/**
 * One requirement of a skill (an element of skills.requirements; public.is_skill_requirements
 * checks the same shape). `name` per kind: env → a variable name; program → a program name, or
 * `setting:<key>.<field>` for the first word of that project setting (`value: "allowlisted"` also
 * needs it on the executor's RUN_TEST_ALLOWLIST); file → a path inside the workspace; connection →
 * a provider kind (openai_compatible, anthropic); setting → a project_settings key, optionally
 * `.field` into its JSON value.
 */
export const ZSkillRequirement = z.object({
  kind: z.enum(SKILL_REQUIREMENT_KINDS),
  name: z.string().trim().min(1, { message: "Name what is required" }).max(300),
  value: z.string().max(300).optional(),
  description: z.string().max(500).optional(),
});
/** One requirement of a skill. */
export type TSkillRequirement = z.infer<typeof ZSkillRequirement>;

/** The executor's verdict on one requirement (an element of skills_mirror.results). */
export const ZSkillRequirementResult = z.object({
  kind: z.enum(SKILL_REQUIREMENT_KINDS),
  name: z.string(),
  ok: z.boolean(),
  /** Why it is met or not, in words that say what to do. */
  reason: z.string(),
  /** True when the requirement can never be met on this executor (the skill is blocked). */
  blocked: z.boolean().default(false),
});
/** The verdict on one requirement. */
export type TSkillRequirementResult = z.infer<typeof ZSkillRequirementResult>;

/** A skill an operator adds (skills insert); the key is derived from the name when not given. */
export const ZSkillInput = z.object({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, { message: "Use lower-case letters, digits and _ (starting with a letter)" })
    .optional(),
  name: z.string().trim().min(1, { message: "Give the skill a name" }).max(80),
  description: z.string().trim().max(2000).default(""),
  requirements: z.array(ZSkillRequirement).max(20).default([]),
  setup_steps: z.array(z.string().trim().min(1).max(1000)).max(30).default([]),
  tools: z.array(z.enum(AGENT_TOOLS)).default([]),
});
/** A skill an operator adds. */
export type TSkillInput = z.infer<typeof ZSkillInput>;

/** The skills.key an operator's skill gets from its name: lower-case words joined by _. */
export function skillKeyFromName(name: string): string {
  const words = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  const key = /^[a-z]/.test(words) ? words : `skill_${words}`;
  return key.slice(0, 63).replace(/_+$/, "") || "skill";
}
