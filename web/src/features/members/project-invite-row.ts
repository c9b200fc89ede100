import { INVITE_STATUSES, MEMBER_ROLES } from "@mission-control/shared/schemas";
import { z } from "zod";

/**
 * A project_invites row as PostgREST and realtime send it (only owners can read them). Lenient at
 * the edge: unknown columns (the executor's claim, attempts) are dropped, `seq` may arrive as a string.
 */
export const ZProjectInvite = z.object({
  id: z.string(),
  project_id: z.string(),
  email: z.string(),
  role: z.enum(MEMBER_ROLES),
  invited_by: z.string().nullable(),
  status: z.enum(INVITE_STATUSES),
  error: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
  accepted_at: z.string().nullable(),
  seq: z.coerce.number(),
});
/** A project_invites row. */
export type TProjectInvite = z.infer<typeof ZProjectInvite>;
