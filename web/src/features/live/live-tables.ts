import type { z } from "zod";
import {
  ZActivity,
  ZAgent,
  ZAgentStatus,
  ZBrainDoc,
  ZChatDelivery,
  ZChatMessage,
  ZChatThread,
  ZProject,
  ZProjectMember,
  ZProjectSetting,
  ZProposal,
  ZTask,
  ZTaskEvent,
} from "./live-rows.ts";

/**
 * The live tables the dashboard keeps in its store: the row schema (the edge) and the key of a
 * row. Each is in the shared realtime registry (REALTIME_TABLES) and carries `seq`.
 */
export const LIVE_TABLES = {
  projects: { schema: ZProject, keyOf: (row: z.infer<typeof ZProject>) => row.id },
  project_members: { schema: ZProjectMember, keyOf: (row: z.infer<typeof ZProjectMember>) => `${row.project_id}:${row.user_id}` },
  project_settings: { schema: ZProjectSetting, keyOf: (row: z.infer<typeof ZProjectSetting>) => `${row.project_id}:${row.key}` },
  agents: { schema: ZAgent, keyOf: (row: z.infer<typeof ZAgent>) => row.id },
  agent_status: { schema: ZAgentStatus, keyOf: (row: z.infer<typeof ZAgentStatus>) => row.agent_id },
  activities: { schema: ZActivity, keyOf: (row: z.infer<typeof ZActivity>) => row.id },
  brain_docs: { schema: ZBrainDoc, keyOf: (row: z.infer<typeof ZBrainDoc>) => row.id },
  project_chat_threads: { schema: ZChatThread, keyOf: (row: z.infer<typeof ZChatThread>) => row.id },
  project_chat_messages: { schema: ZChatMessage, keyOf: (row: z.infer<typeof ZChatMessage>) => row.id },
  chat_delivery_queue: { schema: ZChatDelivery, keyOf: (row: z.infer<typeof ZChatDelivery>) => row.id },
  tasks: { schema: ZTask, keyOf: (row: z.infer<typeof ZTask>) => row.id },
  task_events: { schema: ZTaskEvent, keyOf: (row: z.infer<typeof ZTaskEvent>) => row.id },
  action_proposals: { schema: ZProposal, keyOf: (row: z.infer<typeof ZProposal>) => row.id },
} as const;

/** Name of a live table the store holds. */
export type TLiveTable = keyof typeof LIVE_TABLES;

/** The row type of a live table. */
export type TLiveRow<K extends TLiveTable> = z.infer<(typeof LIVE_TABLES)[K]["schema"]>;

/** Every live table name, for iteration. */
export const LIVE_TABLE_NAMES = Object.keys(LIVE_TABLES) as TLiveTable[];

/** Parses rows of `table`; rows that do not match the schema are dropped and reported. */
export function parseLiveRows<K extends TLiveTable>(table: K, rows: readonly unknown[]): TLiveRow<K>[] {
  const schema = LIVE_TABLES[table].schema as unknown as z.ZodType<TLiveRow<K>>;
  const out: TLiveRow<K>[] = [];
  for (const row of rows) {
    const parsed = schema.safeParse(row);
    if (parsed.success) out.push(parsed.data);
    else console.warn(`Dropped a ${table} row that does not match the dashboard's schema`, parsed.error.issues);
  }
  return out;
}

/** The key of a row of `table`. */
export function keyOfLiveRow<K extends TLiveTable>(table: K, row: TLiveRow<K>): string {
  return (LIVE_TABLES[table].keyOf as (row: TLiveRow<K>) => string)(row);
}
