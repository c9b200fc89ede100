import { AppError } from "@mission-control/shared/errors";
import type { TDb } from "../db/executor-client.ts";
import type { TListTasksFilter } from "./tool-loop/tool-loop-types.ts";

/** What list_tasks shows of a task. */
const COLUMNS = "id, title, status, assignee_agent_key, priority";

/**
 * The tasks list_tasks answers, read when the agent asks (the board as it is now): the project's
 * tasks matching every filter given, open ones first, most recently changed first, at most
 * `filter.limit`. The title filter matches as text (its % and _ are not wildcards).
 */
export async function listProjectTasks(db: TDb, projectId: string, filter: TListTasksFilter, signal: AbortSignal) {
  const read = async (status: { only?: string; open?: boolean }, limit: number) => {
    let query = db.from("tasks").select(COLUMNS).eq("project_id", projectId);
    if (status.only) query = query.eq("status", status.only);
    if (status.open) query = query.neq("status", "done");
    if (filter.assignee_agent_key) query = query.eq("assignee_agent_key", filter.assignee_agent_key);
    if (filter.query) query = query.ilike("title", `%${filter.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const { data, error } = await query.order("updated_at", { ascending: false }).order("id").limit(limit).abortSignal(signal);
    if (error) throw new AppError("database_unreachable", { message: `Could not list the project's tasks: ${error.message}` });
    return data;
  };
  if (filter.status) return read({ only: filter.status }, filter.limit);
  const open = await read({ open: true }, filter.limit);
  if (open.length >= filter.limit) return open;
  return [...open, ...(await read({ only: "done" }, filter.limit - open.length))];
}
