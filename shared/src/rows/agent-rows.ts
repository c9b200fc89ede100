import { z } from "zod";
import { AGENT_PROVIDERS, AGENT_STATUSES } from "../schemas/column-enums.ts";
import { jsonObject, seq } from "./edge-fields.ts";

/** An agent and the profile fields the dashboard shows. */
export const ZAgent = z.object({
  id: z.string(),
  project_id: z.string(),
  agent_key: z.string(),
  display_name: z.string(),
  role: z.string(),
  enabled: z.boolean(),
  provider: z.enum(AGENT_PROVIDERS),
  model: z.string(),
  max_context_tokens: z.number(),
  seq,
});
/** An agents row. */
export type TAgent = z.infer<typeof ZAgent>;

/** What an agent is doing now. */
export const ZAgentStatus = z.object({
  agent_id: z.string(),
  project_id: z.string(),
  status: z.enum(AGENT_STATUSES),
  current_action: z.string(),
  last_seen_at: z.string().nullable(),
  context_usage: jsonObject,
  last_model: z.string().nullable(),
  updated_at: z.string(),
  seq,
});
/** An agent_status row. */
export type TAgentStatus = z.infer<typeof ZAgentStatus>;
