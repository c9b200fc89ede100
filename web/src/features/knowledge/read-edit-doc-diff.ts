import type { TBrainDoc, TProposal } from "@mission-control/shared/rows";
import { ZEditDocParams } from "@mission-control/shared/schemas";
import { z } from "zod";

/** The two sides of an edit_doc diff, with their captions. */
export interface TEditDocDiff {
  params: z.infer<typeof ZEditDocParams>;
  oldValue: string;
  newValue: string;
  oldTitle: string;
  newTitle: string;
}

/** What the executor records when it applied an edit_doc (executor/src/actions/edit-doc.ts). */
const ZEditDocResult = z.object({
  version: z.number().int().optional(),
  previous: z.object({ title: z.string(), content: z.string() }).nullable(),
});

/**
 * The diff an edit_doc card shows. Until it is executed: the doc's current version against the
 * proposed text (an absent doc is empty). Once executed: the text it replaced (recorded by the
 * executor) against the text it wrote, as version n. Null when the params are not a valid edit_doc.
 */
export function readEditDocDiff(
  proposal: Pick<TProposal, "action_type" | "params" | "status" | "execution_result">,
  current: Pick<TBrainDoc, "content" | "version"> | null,
): TEditDocDiff | null {
  if (proposal.action_type !== "edit_doc") return null;
  const parsed = ZEditDocParams.safeParse(proposal.params);
  if (!parsed.success) return null;
  const params = parsed.data;
  const result = ZEditDocResult.safeParse(proposal.execution_result ?? undefined);
  if (proposal.status === "executed" && result.success) {
    return {
      params,
      oldValue: result.data.previous?.content ?? "",
      newValue: params.content,
      oldTitle: result.data.previous ? "Before" : "Before: no doc",
      newTitle: result.data.version ? `Written as version ${result.data.version}` : "Written",
    };
  }
  return {
    params,
    oldValue: current?.content ?? "",
    newValue: params.content,
    oldTitle: current ? `Current: version ${current.version}` : "Current: no doc yet",
    newTitle: "Proposed",
  };
}
