import { ZFileWriteParams } from "@mission-control/shared/schemas";
import { parseOutcomeNotice } from "./parse-outcome-notice.ts";

/**
 * What the built-in offline model answers to a rejected file_write with a comment: a short
 * acknowledgement and a revised ```proposal block for the same path whose content adds the
 * comment as a last line. Deterministic, so tests can prove the reject → revise loop. Null for
 * any other message (the built-in model then answers as usual).
 */
export function composeBuiltinRevision(lastUserMessage: string): string | null {
  const notice = parseOutcomeNotice(lastUserMessage);
  if (notice?.status !== "rejected" || notice.actionType !== "file_write" || !notice.comment) return null;
  const params = ZFileWriteParams.safeParse(notice.params);
  if (!params.success) return null;
  const comment = notice.comment.replace(/\s+/g, " ");
  const base = params.data.content.replace(/\n*$/, "");
  const content = base ? `${base}\n${comment}\n` : `${comment}\n`;
  const proposal = {
    action_type: "file_write",
    params: { path: params.data.path, content },
    summary: `Write ${params.data.path} (revised: ${comment})`.slice(0, 500),
    risk: "low",
    blast_radius: `One file in the workspace: ${params.data.path}`,
    reversibility: "reversible",
    rollback_plan: "Restore the previous content kept in the execution result.",
  };
  return [
    `Understood: I revised ${params.data.path} to address "${comment}". The revised proposal is below for your approval.`,
    "```proposal",
    JSON.stringify(proposal),
    "```",
  ].join("\n");
}
