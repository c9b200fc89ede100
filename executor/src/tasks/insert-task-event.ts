import { describeIssues, type TAgentTaskEvent } from "@mission-control/shared/control-api";
import type { Json } from "@mission-control/shared/db";
import { AppError } from "@mission-control/shared/errors";
import { type TTaskEvent, ZTaskEvent } from "@mission-control/shared/rows";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Appends an agent's update (the body of `POST /api/tasks/:taskId/events`) to a task's timeline
 * (task_events) with the service role, after checking that the task exists and the author is an
 * agent of its project. Idempotent by `id`: writing the same id again returns the row already there.
 */
export async function insertTaskEvent(db: TDb, taskId: string, event: TAgentTaskEvent): Promise<{ event: TTaskEvent; duplicate: boolean }> {
  const task = await db.from("tasks").select("id, project_id").eq("id", taskId).maybeSingle();
  if (task.error) throw readDbError(task.error, `Could not look up task ${taskId}`, "database_unreachable");
  if (!task.data) throw new AppError("not_found", { message: `Task ${taskId} does not exist: it may have been deleted` });
  const agent = await db
    .from("agents")
    .select("agent_key")
    .eq("project_id", task.data.project_id)
    .eq("agent_key", event.author_agent_key)
    .maybeSingle();
  if (agent.error) throw readDbError(agent.error, "Could not look up the agent", "database_unreachable");
  if (!agent.data) {
    throw new AppError("forbidden", {
      message: `Agent ${event.author_agent_key} is not in the project of task ${taskId}: only its agents can post to it`,
    });
  }
  const id = event.id ?? crypto.randomUUID();
  const inserted = await db
    .from("task_events")
    .insert({
      id,
      project_id: task.data.project_id,
      task_id: taskId,
      kind: event.kind,
      author_type: "agent",
      author_agent_key: event.author_agent_key,
      content: event.content,
      metadata: (event.metadata ?? {}) as NonNullable<Json>,
    })
    .setHeader("x-agent-key", event.author_agent_key)
    .select("*")
    .single();
  if (!inserted.error) return { event: readTaskEvent(inserted.data), duplicate: false };
  if (inserted.error.code !== "23505")
    throw readDbError(inserted.error, `Could not add the event to task ${taskId}`, "database_unreachable");
  const existing = await db.from("task_events").select("*").eq("id", id).single();
  if (existing.error) throw readDbError(existing.error, `Could not read task event ${id}`, "database_unreachable");
  if (existing.data.task_id !== taskId) {
    throw new AppError("conflict", { message: `Event id ${id} is already used in another task: pick a new id` });
  }
  return { event: readTaskEvent(existing.data), duplicate: true };
}

/** The row as the shared schema reads it: what the Control API answers and the fallback returns. */
function readTaskEvent(row: unknown): TTaskEvent {
  const parsed = ZTaskEvent.safeParse(row);
  if (parsed.success) return parsed.data;
  throw new AppError("internal", {
    message: `A task_events row does not match ZTaskEvent (${describeIssues(parsed.error)}): update @mission-control/shared/rows to the migration`,
  });
}
