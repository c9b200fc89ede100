import { z } from "zod";
import { AUTHOR_TYPES, DELIVERY_STATUSES, MESSAGE_STATUSES, MESSAGE_TYPES, THREAD_KINDS } from "../schemas/column-enums.ts";
import { jsonObject, seq } from "./edge-fields.ts";

/** A conversation thread: the Team Room or a DM. */
export const ZChatThread = z.object({
  id: z.string(),
  project_id: z.string(),
  kind: z.enum(THREAD_KINDS),
  thread_key: z.string(),
  agent_key: z.string().nullable(),
  title: z.string(),
  seq,
});
/** A project_chat_threads row. */
export type TChatThread = z.infer<typeof ZChatThread>;

/** A chat message from the operator, an agent or the system. */
export const ZChatMessage = z.object({
  id: z.string(),
  project_id: z.string(),
  thread_id: z.string(),
  author_type: z.enum(AUTHOR_TYPES),
  author_user_id: z.string().nullable(),
  author_agent_key: z.string().nullable(),
  target_agent_keys: z.array(z.string()),
  message_type: z.enum(MESSAGE_TYPES),
  content: z.string(),
  metadata: jsonObject,
  status: z.enum(MESSAGE_STATUSES),
  reply_to: z.string().nullable(),
  created_at: z.string(),
  seq,
});
/** A project_chat_messages row. */
export type TChatMessage = z.infer<typeof ZChatMessage>;

/** The delivery of one message to one agent. */
export const ZChatDelivery = z.object({
  id: z.string(),
  project_id: z.string(),
  message_id: z.string(),
  agent_key: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  error: z.string().nullable(),
  updated_at: z.string(),
  seq,
});
/** A chat_delivery_queue row. */
export type TChatDelivery = z.infer<typeof ZChatDelivery>;

/** Reply metadata the executor stores with an agent's message. */
export const ZReplyMetadata = z.object({
  model: z.string().optional(),
  provider: z.string().optional(),
  offline: z.boolean().optional(),
  usage: z.object({ input_tokens: z.number().optional(), output_tokens: z.number().optional() }).partial().optional(),
});
/** What the UI shows under an agent's reply. */
export type TReplyMetadata = z.infer<typeof ZReplyMetadata>;
