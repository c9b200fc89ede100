import { assertNever } from "@mission-control/shared/errors";
import { ZActionProposalParams } from "@mission-control/shared/schemas";
import { refused, type TActionContext, type TActionOutcome } from "./action-types.ts";
import { apiCall } from "./api-call.ts";
import { applyChangeset } from "./apply-changeset.ts";
import { createTask } from "./create-task.ts";
import { editDoc } from "./edit-doc.ts";
import { fileWrite } from "./file-write.ts";
import { scheduleJob } from "./schedule-job.ts";
import { sendMessage } from "./send-message.ts";

/**
 * Runs the proposal's action once. The params are validated again with the shared schema of its
 * action type (they crossed the database edge); invalid params fail without running anything.
 */
export async function runAction(ctx: TActionContext): Promise<TActionOutcome> {
  const parsed = ZActionProposalParams.safeParse({ action_type: ctx.proposal.action_type, params: ctx.proposal.params });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "params"}: ${issue.message}`).join("; ");
    return refused(
      `The ${ctx.proposal.action_type} proposal is invalid (${issues}): nothing was run. Ask the agent for a corrected proposal.`,
    );
  }
  const action = parsed.data;
  switch (action.action_type) {
    case "create_task":
      return createTask(ctx, action.params);
    case "schedule_job":
      return scheduleJob(ctx, action.params);
    case "edit_doc":
      return editDoc(ctx, action.params);
    case "send_message":
      return sendMessage(ctx, action.params);
    case "api_call":
      return apiCall(ctx, action.params);
    case "file_write":
      return fileWrite(ctx, action.params);
    case "apply_changeset":
      return applyChangeset(ctx, action.params);
    default:
      return assertNever(action);
  }
}
