import { z } from "zod";
import { MEMBER_ROLES } from "../schemas/column-enums.ts";
import { seq } from "./edge-fields.ts";

/** A project the user belongs to. */
export const ZProject = z.object({ id: z.string(), name: z.string(), slug: z.string(), seq });
/** A projects row. */
export type TProject = z.infer<typeof ZProject>;

/** A membership: who may do what in a project. */
export const ZProjectMember = z.object({
  project_id: z.string(),
  user_id: z.string(),
  role: z.enum(MEMBER_ROLES),
  seq,
});
/** A project_members row. */
export type TProjectMember = z.infer<typeof ZProjectMember>;

/** A setting of a project: key → jsonb. */
export const ZProjectSetting = z.object({ project_id: z.string(), key: z.string(), value: z.unknown(), updated_at: z.string(), seq });
/** A project_settings row. */
export type TProjectSetting = z.infer<typeof ZProjectSetting>;
