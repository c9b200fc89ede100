import { ACTIVITY_WINDOW, PROPOSAL_WINDOW, TASK_EVENT_WINDOW, THREAD_WINDOW, type TLiveReader } from "./live-reader.ts";
import type { TLiveStore } from "./live-store.ts";

const SCOPED_TABLES = ["project_members", "project_settings", "agents", "agent_status", "project_chat_threads", "tasks"] as const;

/**
 * Re-reads what the screen shows from the database and merges it into the store, keeping the
 * higher seq per row: every small table of the project in full (rows deleted meanwhile go away),
 * the latest feed entries, every pending proposal and the latest others, the timelines of the
 * task threads open on screen, each thread's window of messages and their deliveries. Run on
 * (re)subscribe, after a channel error or timeout, and when the tab becomes visible again, so a
 * dropped websocket never leaves the screen wrong.
 */
export async function catchUpProject(reader: TLiveReader, store: TLiveStore, projectId: string): Promise<void> {
  const state = () => store.getState();
  const before = state().rows;

  const watched = Object.keys(state().watchedTasks);
  const [projects, mission, activities, proposals, taskEvents, ...scoped] = await Promise.all([
    reader.readScope("projects", projectId),
    reader.readScope("brain_docs", projectId),
    reader.readActivities(projectId, ACTIVITY_WINDOW),
    reader.readProposals(projectId, PROPOSAL_WINDOW),
    watched.length > 0 ? reader.readTaskEvents(watched, TASK_EVENT_WINDOW) : Promise.resolve([]),
    ...SCOPED_TABLES.map((table) => reader.readScope(table, projectId)),
  ]);
  state().reconcileRows("projects", projects, before.projects, () => true);
  state().reconcileRows("brain_docs", mission, before.brain_docs, (row) => row.project_id === projectId && row.doc_type === "mission");
  state().applyRows("activities", activities);
  state().applyRows("action_proposals", proposals);
  state().applyRows("task_events", taskEvents);
  SCOPED_TABLES.forEach((table, i) => {
    const rows = (scoped[i] ?? []) as never[];
    state().reconcileRows(table, rows, before[table] as never, (row: { project_id: string }) => row.project_id === projectId);
  });

  const threads = Object.values(state().rows.project_chat_threads).filter((t) => t.project_id === projectId);
  const windows = await Promise.all(threads.map((thread) => reader.readThreadWindow(thread.id, THREAD_WINDOW)));
  const messages = windows.flat();
  state().applyRows("project_chat_messages", messages);

  // Deliveries of every operator message on screen, including ones that only came by realtime.
  const userMessageIds = Object.values(state().rows.project_chat_messages)
    .filter((m) => m.project_id === projectId && m.author_type === "user")
    .map((m) => m.id);
  if (userMessageIds.length > 0) state().applyRows("chat_delivery_queue", await reader.readDeliveries(userMessageIds));
  state().noteCatchUp();
}
