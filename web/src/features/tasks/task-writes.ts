import { AppError } from "@mission-control/shared/errors";
import { type TTask, type TTaskEvent, ZTask, ZTaskEvent } from "@mission-control/shared/rows";
import type { TTaskStatus } from "@mission-control/shared/schemas";
import { z } from "zod";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import type { TLegacyComment, TLegacyOutput } from "./merge-task-thread.ts";

/** What to do next, for the refusals an operator can fix from the screen. */
const NEXT_STEPS: Record<string, string> = {
  tasks_work_needs_an_assignee: "Assigned and In progress need an assignee: pick an agent on the task's page, then move it.",
};

/** Turns a PostgREST error into an AppError carrying the database's own words (and its hint, and what to do). */
function writeError(action: string, error: { code?: string; message: string; details?: string | null; hint?: string | null }): AppError {
  const next = Object.entries(NEXT_STEPS).find(([constraint]) => error.message.includes(constraint))?.[1];
  const text = [error.message, error.hint, next].filter(Boolean).join(" — ");
  const code =
    error.code === "42501"
      ? "forbidden"
      : error.code?.startsWith("23") || error.code === "22023"
        ? "invalid_input"
        : "database_unreachable";
  return new AppError(code, { message: `Could not ${action}: ${text}`, cause: error, details: { sqlstate: error.code } });
}

/** Moves a card: its column and its position there (the status change is recorded by the database). */
export async function moveTask(client: TBrowserClient, taskId: string, move: { status: TTaskStatus; position: number }): Promise<TTask> {
  const { data, error } = await client.from("tasks").update(move).eq("id", taskId).select("*").single();
  if (error) throw writeError("move the task", error);
  return ZTask.parse(data);
}

/** Changes fields of a task (assignee, priority, checklist…). */
export async function updateTask(
  client: TBrowserClient,
  taskId: string,
  patch: Partial<Pick<TTask, "assignee_agent_key" | "priority" | "title" | "description" | "labels" | "due_at" | "definition_of_done">>,
): Promise<TTask> {
  const { data, error } = await client.from("tasks").update(patch).eq("id", taskId).select("*").single();
  if (error) throw writeError("update the task", error);
  return ZTask.parse(data);
}

/** What the "New task" form (and "Promote to task") creates. */
export interface TNewTask {
  projectId: string;
  title: string;
  description?: string;
  status?: TTaskStatus;
  priority?: TTask["priority"];
  assigneeAgentKey?: string | null;
  labels?: string[];
  dueAt?: string | null;
  definitionOfDone?: { text: string; done: boolean }[];
}

/** Creates a task as the signed-in operator (RLS: operators and owners; created_by is them). */
export async function createTask(client: TBrowserClient, input: TNewTask): Promise<TTask> {
  const { data, error } = await client
    .from("tasks")
    .insert({
      project_id: input.projectId,
      title: input.title.trim(),
      description: input.description ?? "",
      status: input.status ?? "inbox",
      priority: input.priority ?? "normal",
      assignee_agent_key: input.assigneeAgentKey || null,
      labels: input.labels ?? [],
      due_at: input.dueAt ?? null,
      definition_of_done: input.definitionOfDone ?? [],
    })
    .select("*")
    .single();
  if (error) throw writeError("create the task", error);
  return ZTask.parse(data);
}

/** What route_task answers: the agent the task went to and the line it wrote in the task's thread. */
const ZRouteTaskAnswer = z.object({ task_id: z.string(), agent_key: z.string(), reason: z.string() });

/**
 * Routes an unassigned task (`route_task`) to the agent whose capabilities match its title and
 * description best, else the lead: the task is assigned (which queues that agent's run) and the
 * reason is written in its thread ("Routed to @backend: sql, migrations"). Reads the task back so
 * the screen shows it before realtime does.
 */
export async function routeTask(client: TBrowserClient, taskId: string): Promise<{ task: TTask; agentKey: string; reason: string }> {
  const { data, error } = await client.rpc("route_task", { p_task_id: taskId });
  if (error) throw writeError("route the task", error);
  const answer = ZRouteTaskAnswer.parse(data);
  const read = await client.from("tasks").select("*").eq("id", taskId).single();
  if (read.error) throw writeError("read the routed task", read.error);
  return { task: ZTask.parse(read.data), agentKey: answer.agent_key, reason: answer.reason };
}

/** Adds a comment or an output to a task's timeline, authored by the signed-in operator. */
export async function addTaskEvent(
  client: TBrowserClient,
  input: {
    projectId: string;
    taskId: string;
    userId: string;
    kind: "comment" | "output_added";
    content: string;
    metadata?: Record<string, string>;
  },
): Promise<TTaskEvent> {
  const { data, error } = await client
    .from("task_events")
    .insert({
      project_id: input.projectId,
      task_id: input.taskId,
      kind: input.kind,
      author_type: "user",
      author_user_id: input.userId,
      content: input.content,
      metadata: input.metadata ?? {},
    })
    .select("*")
    .single();
  if (error) throw writeError(input.kind === "comment" ? "post the comment" : "add the output", error);
  return ZTaskEvent.parse(data);
}

/** Reads a task's legacy comments and outputs (not live: they are no longer written). */
export async function readLegacyTaskNotes(
  client: TBrowserClient,
  taskId: string,
): Promise<{ comments: TLegacyComment[]; outputs: TLegacyOutput[] }> {
  const [comments, outputs] = await Promise.all([
    client.from("task_comments").select("id, task_id, author, body, created_at").eq("task_id", taskId),
    client.from("task_outputs").select("id, task_id, author, title, content, url, created_at").eq("task_id", taskId),
  ]);
  if (comments.error) throw writeError("read the legacy comments", comments.error);
  if (outputs.error) throw writeError("read the legacy outputs", outputs.error);
  return { comments: comments.data ?? [], outputs: outputs.data ?? [] };
}
