import { MEMBER_ROLES } from "@mission-control/shared/schemas";
import { z } from "zod";

/**
 * One member as `list_project_members` answers: the membership with the account's email and
 * when it last signed in (auth.users is not readable from the browser, so the RPC joins it).
 */
export const ZMemberListing = z.object({
  user_id: z.string(),
  email: z.string(),
  role: z.enum(MEMBER_ROLES),
  joined_at: z.string().nullable(),
  last_sign_in_at: z.string().nullable(),
});
/** A member of the project as the Members page shows them. */
export type TMemberListing = z.infer<typeof ZMemberListing>;
