import type { TProposal } from "@mission-control/shared/rows";
import { ZFileWriteParams } from "@mission-control/shared/schemas";
import { z } from "zod";

/** The two sides of a file_write diff and what the left side is. */
export interface TFileWriteDiff {
  path: string;
  previous: string;
  proposed: string;
  /** "unknown": not executed yet, shown as an all-new file; "recorded": the executor kept it; "new": no file existed. */
  previousSource: "unknown" | "recorded" | "new";
}

/** What the executor records about the file it replaced (executor/src/actions/file-write.ts). */
const ZFileWriteResult = z.object({
  previous_existed: z.boolean().optional(),
  previous_content: z.string().nullable().optional(),
});

/**
 * The diff a file_write card shows: the proposed content against the previous content. Before
 * execution the previous content is unknown (the executor reads it when it writes), so the
 * proposed content is shown as all new; after execution the result's previous_content is the left
 * side (or nothing, when the file did not exist). Null when the params are not a valid file_write.
 */
export function readFileWriteDiff(proposal: Pick<TProposal, "action_type" | "params" | "execution_result">): TFileWriteDiff | null {
  if (proposal.action_type !== "file_write") return null;
  const params = ZFileWriteParams.safeParse(proposal.params);
  if (!params.success) return null;
  const base = { path: params.data.path, proposed: params.data.content };
  const result = ZFileWriteResult.safeParse(proposal.execution_result ?? undefined);
  if (result.success && typeof result.data.previous_content === "string") {
    return { ...base, previous: result.data.previous_content, previousSource: "recorded" };
  }
  if (result.success && (result.data.previous_existed === false || result.data.previous_content === null)) {
    return { ...base, previous: "", previousSource: "new" };
  }
  return { ...base, previous: "", previousSource: "unknown" };
}
