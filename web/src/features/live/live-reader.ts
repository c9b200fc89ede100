import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { parseLiveRows, type TLiveRow, type TLiveTable } from "./live-tables.ts";

/** How many messages per thread the screen keeps (and re-reads on catch-up). */
export const THREAD_WINDOW = 200;
/** How many feed entries the screen keeps. */
export const ACTIVITY_WINDOW = 100;
/** How many recently written proposals the screen keeps besides every pending one. */
export const PROPOSAL_WINDOW = 300;
/** How many timeline entries per open task thread the screen keeps. */
export const TASK_EVENT_WINDOW = 500;

/** Reads of the database the catch-up needs; the supabase-js one below, a fake in tests. */
export interface TLiveReader {
  /** Rows of a whole scope: every row of the table in the project (or all projects, for `projects`). */
  readScope<
    K extends
      | "projects"
      | "project_members"
      | "project_settings"
      | "agents"
      | "agent_status"
      | "brain_docs"
      | "project_chat_threads"
      | "tasks",
  >(table: K, projectId: string): Promise<TLiveRow<K>[]>;
  /** The project's latest feed entries by seq. */
  readActivities(projectId: string, limit: number): Promise<TLiveRow<"activities">[]>;
  /** A thread's window: its most recently written messages (highest seq first). */
  readThreadWindow(threadId: string, limit: number): Promise<TLiveRow<"project_chat_messages">[]>;
  /** The deliveries of the given messages. */
  readDeliveries(messageIds: readonly string[]): Promise<TLiveRow<"chat_delivery_queue">[]>;
  /** Every pending proposal of the project and the most recently written others. */
  readProposals(projectId: string, limit: number): Promise<TLiveRow<"action_proposals">[]>;
  /** The timelines of the given tasks (the open task threads), oldest first, up to `limit` each. */
  readTaskEvents(taskIds: readonly string[], limit: number): Promise<TLiveRow<"task_events">[]>;
}

function rowsOrThrow<K extends TLiveTable>(table: K, result: { data: unknown[] | null; error: { message: string } | null }) {
  if (result.error) throw new Error(`Could not read ${table}: ${result.error.message}`);
  return parseLiveRows(table, result.data ?? []);
}

/** The catch-up reads through supabase-js, as the signed-in user (RLS decides what comes back). */
export function createSupabaseLiveReader(client: TBrowserClient): TLiveReader {
  return {
    async readScope(table, projectId) {
      if (table === "projects") return rowsOrThrow(table, await client.from("projects").select("*")) as never;
      if (table === "brain_docs") {
        return rowsOrThrow(
          table,
          await client.from("brain_docs").select("*").eq("project_id", projectId).eq("doc_type", "mission"),
        ) as never;
      }
      // Every other scope table has project_id; the cast names one of them for the typed builder.
      return rowsOrThrow(
        table,
        await client
          .from(table as "agents")
          .select("*")
          .eq("project_id", projectId),
      ) as never;
    },
    async readActivities(projectId, limit) {
      const result = await client
        .from("activities")
        .select("*")
        .eq("project_id", projectId)
        .order("seq", { ascending: false })
        .limit(limit);
      return rowsOrThrow("activities", result);
    },
    async readThreadWindow(threadId, limit) {
      const result = await client
        .from("project_chat_messages")
        .select("*")
        .eq("thread_id", threadId)
        .order("seq", { ascending: false })
        .limit(limit);
      return rowsOrThrow("project_chat_messages", result);
    },
    async readDeliveries(messageIds) {
      const out: TLiveRow<"chat_delivery_queue">[] = [];
      // Chunks keep the query string short.
      for (let i = 0; i < messageIds.length; i += 100) {
        const chunk = messageIds.slice(i, i + 100);
        out.push(...rowsOrThrow("chat_delivery_queue", await client.from("chat_delivery_queue").select("*").in("message_id", chunk)));
      }
      return out;
    },
    async readProposals(projectId, limit) {
      const [pending, recent] = await Promise.all([
        client.from("action_proposals").select("*").eq("project_id", projectId).eq("status", "proposed"),
        client.from("action_proposals").select("*").eq("project_id", projectId).order("seq", { ascending: false }).limit(limit),
      ]);
      return [...rowsOrThrow("action_proposals", pending), ...rowsOrThrow("action_proposals", recent)];
    },
    async readTaskEvents(taskIds, limit) {
      const reads = await Promise.all(
        taskIds.map((taskId) =>
          client.from("task_events").select("*").eq("task_id", taskId).order("created_at", { ascending: false }).limit(limit),
        ),
      );
      return reads.flatMap((result) => rowsOrThrow("task_events", result));
    },
  };
}
