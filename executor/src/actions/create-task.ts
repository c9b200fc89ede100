import type { TCreateTaskParams } from "./action-params.ts";
import { refused, type TActionContext, type TActionOutcome } from "./action-types.ts";
import { deriveActionId } from "./derive-action-id.ts";

/**
 * create_task: inserts the kanban card (the only way an agent's task comes into being). It goes to
 * the inbox, or to "assigned" when it names an assignee. The card's id is derived from the
 * proposal, so the insert cannot happen twice.
 */
export async function createTask(ctx: TActionContext, params: TCreateTaskParams): Promise<TActionOutcome> {
  const id = deriveActionId(ctx.proposal.id, "create_task");
  const { data, error } = await ctx.db
    .from("tasks")
    .insert({
      id,
      project_id: ctx.proposal.project_id,
      title: params.title,
      description: params.description ?? "",
      priority: params.priority ?? "normal",
      labels: params.labels ?? [],
      assignee_agent_key: params.assignee_agent_key ?? null,
      status: params.assignee_agent_key ? "assigned" : "inbox",
      due_at: params.due_at ?? null,
      definition_of_done: params.definition_of_done ?? [],
    })
    .setHeader("x-agent-key", ctx.proposal.proposed_by_agent_key)
    .select("id, title, status")
    .single();
  if (error) {
    if (error.code === "23503") {
      return refused(
        `Agent ${params.assignee_agent_key ?? "?"} is not in this project: propose the task without an assignee or with one from the roster`,
      );
    }
    if (error.code === "23505") return refused(`Task ${id} already exists: this proposal was executed before; nothing was created again`);
    return refused(`Could not create the task: ${error.message}`);
  }
  return { ok: true, result: { task_id: data.id, title: data.title, status: data.status, rollback: "delete the task" } };
}
