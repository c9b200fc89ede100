import { AppError } from "@mission-control/shared/errors";
import { type TProposal, ZProposal } from "@mission-control/shared/rows";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/** An operator's decision on a proposal. */
export interface TResolveInput {
  proposalId: string;
  decision: "approve" | "reject";
  comment?: string;
  /** Edited params (approve only): the approval is bound to their hash. */
  params?: Record<string, unknown>;
}

/** Maps a PostgREST error of resolve_action_proposal to an AppError that says what to do. */
export function resolveError(error: { code?: string; message: string; hint?: string | null }): AppError {
  const text = [error.message, error.hint].filter(Boolean).join(" ");
  switch (error.code) {
    case "42501":
      return new AppError("forbidden", { message: text, cause: error });
    case "PT409":
    case "55000":
      return new AppError("conflict", { message: text, cause: error });
    case "22023":
    case "PT404":
    case "P0002":
      return new AppError("invalid_input", { message: text, cause: error });
    default:
      return new AppError("database_unreachable", { message: `Could not record the decision: ${text}`, cause: error });
  }
}

/**
 * Approves or rejects a proposal through `resolve_action_proposal` (who and when are recorded by
 * the database). Returns the row as it is now: a status of `expired` means the decision came too
 * late and nothing will run.
 */
export async function resolveActionProposal(client: TBrowserClient, input: TResolveInput): Promise<TProposal> {
  const { data, error } = await client.rpc("resolve_action_proposal", {
    p_proposal_id: input.proposalId,
    p_decision: input.decision,
    ...(input.comment?.trim() ? { p_comment: input.comment.trim() } : {}),
    ...(input.params ? { p_params: input.params as never } : {}),
  });
  if (error) throw resolveError(error);
  return ZProposal.parse(data);
}
