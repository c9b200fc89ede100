import { z } from "zod";
import { PROVISION_ACTIONS, PROVISION_STATUSES } from "../schemas/column-enums.ts";
import { jsonObject, seq } from "./edge-fields.ts";

/**
 * A request to create, update (a partial profile) or delete an agent, applied by the executor:
 * queued -> applied | failed (error says why, in words).
 */
export const ZProvisionRequest = z.object({
  id: z.string(),
  project_id: z.string(),
  action: z.enum(PROVISION_ACTIONS),
  agent_id: z.string().nullable(),
  agent_key: z.string(),
  profile: jsonObject,
  status: z.enum(PROVISION_STATUSES),
  error: z.string().nullable(),
  requested_by: z.string().nullable(),
  created_at: z.string(),
  applied_at: z.string().nullable(),
  applied_by: z.string().nullable(),
  seq,
});
/** An agent_provision_requests row. */
export type TProvisionRequest = z.infer<typeof ZProvisionRequest>;
