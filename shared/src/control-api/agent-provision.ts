import { z } from "zod";
import { PROVISION_STATUSES } from "../schemas/column-enums.ts";

/** The body of `POST /api/agents/provision`: the agent_provision_requests row the dashboard just wrote. */
export const ZProvisionRequest = z.object({ request_id: z.guid({ error: "must be the id of an agent_provision_requests row" }) });
/** The body of `POST /api/agents/provision`. */
export type TProvisionRequest = z.infer<typeof ZProvisionRequest>;

/**
 * The 200 answer of `POST /api/agents/provision`: the request's status after the executor tried to
 * apply it (`queued` when another executor holds it), the agent it created or changed, and why it
 * failed, in words, when it did.
 */
export const ZProvisionAnswer = z.object({
  request_id: z.string(),
  status: z.enum(PROVISION_STATUSES),
  agent_id: z.string().nullable(),
  error: z.string().nullable(),
});
/** The 200 answer of `POST /api/agents/provision`. */
export type TProvisionAnswer = z.infer<typeof ZProvisionAnswer>;
