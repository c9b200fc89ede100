import type { TScheduleJobParams } from "./action-params.ts";
import { refused, type TActionContext, type TActionOutcome } from "./action-types.ts";
import { deriveActionId } from "./derive-action-id.ts";

/** schedule_job: adds the job to cron_mirror (the Schedule page). Names are unique per project. */
export async function scheduleJob(ctx: TActionContext, params: TScheduleJobParams): Promise<TActionOutcome> {
  const { data, error } = await ctx.db
    .from("cron_mirror")
    .insert({
      id: deriveActionId(ctx.proposal.id, "schedule_job"),
      project_id: ctx.proposal.project_id,
      name: params.name,
      schedule_kind: params.schedule_kind,
      schedule_expr: params.schedule_expr,
      job_intent: params.job_intent ?? "task",
      instructions: params.instructions ?? "",
      target_agent_key: params.target_agent_key ?? null,
      enabled: params.enabled ?? true,
    })
    .select("id, name, enabled")
    .single();
  if (error) {
    if (error.code === "23505") {
      return refused(`A scheduled job named "${params.name}" already exists in this project: propose another name or an edit of that job`);
    }
    return refused(`Could not schedule the job: ${error.message}`);
  }
  return { ok: true, result: { job_id: data.id, name: data.name, enabled: data.enabled, rollback: "delete the scheduled job" } };
}
