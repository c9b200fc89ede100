import type { TDeliveryRow, TMessageRow } from "../db/executor-client.ts";

const at = "2026-01-01T00:00:00.000Z";

/** A chat_delivery_queue row claimed by executor `x` (attempt 1 of 3), for unit tests without a database. */
export function deliveryRow(id: string, fields: Partial<TDeliveryRow> = {}): TDeliveryRow {
  return {
    id,
    project_id: "p",
    message_id: `m-${id}`,
    agent_key: "lead",
    status: "delivered",
    attempts: 1,
    max_attempts: 3,
    available_at: at,
    claimed_by: "x",
    picked_up_at: at,
    completed_at: null,
    error: null,
    result: null,
    seq: 1,
    created_at: at,
    updated_at: at,
    ...fields,
  };
}

/** A project_chat_messages row in thread `t`, for unit tests without a database. */
export function messageRow(id: string, content: string, fields: Partial<TMessageRow> = {}): TMessageRow {
  return {
    id,
    project_id: "p",
    thread_id: "t",
    author_type: "user",
    author_agent_key: null,
    author_user_id: "u",
    content,
    message_type: "text",
    metadata: {},
    reply_to: null,
    status: "delivered",
    target_agent_keys: ["lead"],
    seq: 3,
    created_at: at,
    updated_at: at,
    ...fields,
  };
}
