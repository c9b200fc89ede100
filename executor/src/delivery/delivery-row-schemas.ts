import type { Json } from "@mission-control/shared/db";
import { z } from "zod";
import type { TAgentRow, TBrainDocRow, TDeliveryRow, TMessageRow, TThreadRow } from "../db/executor-client.ts";

// A jsonb column holds JSON by definition: typed, not walked (the hot path decodes thousands of rows a second).
const ZJson = z.custom<Json>();
const ZJsonObject = z.custom<NonNullable<Json>>();

/**
 * The rows the delivery RPCs return as JSON (`to_jsonb(row)`), checked at the database edge.
 * `satisfies` ties each schema to the generated row type, so a column added by a migration does not
 * compile until it is listed here; unknown keys are dropped.
 */
export const ZDeliveryRow = z.object({
  id: z.string(),
  project_id: z.string(),
  message_id: z.string(),
  agent_key: z.string(),
  status: z.string(),
  attempts: z.number(),
  max_attempts: z.number(),
  available_at: z.string(),
  claimed_by: z.string().nullable(),
  picked_up_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  error: z.string().nullable(),
  result: ZJson.nullable(),
  seq: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
}) satisfies z.ZodType<TDeliveryRow>;

/** A chat message (project_chat_messages). */
export const ZMessageRow = z.object({
  id: z.string(),
  project_id: z.string(),
  thread_id: z.string(),
  author_type: z.string(),
  author_agent_key: z.string().nullable(),
  author_user_id: z.string().nullable(),
  content: z.string(),
  message_type: z.string(),
  metadata: ZJsonObject,
  reply_to: z.string().nullable(),
  status: z.string(),
  target_agent_keys: z.array(z.string()),
  seq: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
}) satisfies z.ZodType<TMessageRow>;

/** An agent with its profile (agents). */
export const ZAgentRow = z.object({
  id: z.string(),
  project_id: z.string(),
  agent_key: z.string(),
  display_name: z.string(),
  role: z.string(),
  enabled: z.boolean(),
  provider: z.string().nullable(),
  provider_connection_id: z.string().nullable(),
  model: z.string().nullable(),
  system_prompt: z.string(),
  temperature: z.number().nullable(),
  max_context_tokens: z.number().nullable(),
  max_output_tokens: z.number().nullable(),
  risk_tolerance: z.string(),
  verbosity: z.string().nullable(),
  tools_enabled: z.array(z.string()),
  capabilities: z.array(z.string()),
  heartbeat: ZJsonObject,
  seq: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
}) satisfies z.ZodType<TAgentRow>;

/** A knowledge document (brain_docs). */
export const ZBrainDocRow = z.object({
  id: z.string(),
  project_id: z.string(),
  agent_key: z.string().nullable(),
  doc_type: z.string(),
  title: z.string(),
  content: z.string(),
  updated_by: z.string().nullable(),
  version: z.number(),
  seq: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
}) satisfies z.ZodType<TBrainDocRow>;

/** The part of a chat thread load_chat_delivery_context returns. */
export const ZThreadSummary = z.object({
  id: z.string(),
  kind: z.string(),
  thread_key: z.string(),
  title: z.string(),
}) satisfies z.ZodType<Pick<TThreadRow, "id" | "kind" | "thread_key" | "title">>;
