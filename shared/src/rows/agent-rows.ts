import { z } from "zod";
import { AGENT_PROVIDERS, AGENT_STATUSES, AGENT_TOOLS, AGENT_VERBOSITIES, RISK_LEVELS } from "../schemas/column-enums.ts";
import { jsonObject, nullableNumeric, seq } from "./edge-fields.ts";

/**
 * An agent and every profile field the agent page shows. Model settings are null when the agent
 * inherits them (project agent_defaults, then the built-in model): resolve them with
 * `resolveAgentSettings` from `@mission-control/shared/schemas`.
 */
export const ZAgent = z.object({
  id: z.string(),
  project_id: z.string(),
  agent_key: z.string(),
  display_name: z.string(),
  role: z.string(),
  enabled: z.boolean(),
  provider: z.enum(AGENT_PROVIDERS).nullable(),
  provider_connection_id: z.string().nullable(),
  model: z.string().nullable(),
  system_prompt: z.string(),
  temperature: nullableNumeric,
  max_context_tokens: z.number().nullable(),
  max_output_tokens: z.number().nullable(),
  verbosity: z.enum(AGENT_VERBOSITIES).nullable(),
  tools_enabled: z.array(z.enum(AGENT_TOOLS)),
  risk_tolerance: z.enum(RISK_LEVELS),
  capabilities: z.array(z.string()),
  heartbeat: jsonObject,
  created_at: z.string(),
  updated_at: z.string(),
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
