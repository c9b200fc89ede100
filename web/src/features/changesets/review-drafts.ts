import type { TChangesetFile } from "@mission-control/shared/rows";
import { type TChangesetReviewInput, type TChangesetReviewKind, ZChangesetReviewInput } from "@mission-control/shared/schemas";

/** A review comment being written (not yet sent). */
export interface TReviewDraft {
  kind: TChangesetReviewKind;
  comment: string;
  path: string | null;
  line: number | null;
}

/** Where a review comment points, in words: "src/a.ts:12", "src/a.ts", or "the whole changeset". */
export function describeReviewPlace(review: { path: string | null; line: number | null }): string {
  if (!review.path) return "the whole changeset";
  return review.line ? `${review.path}:${review.line}` : review.path;
}

/**
 * The line a click on the diff's gutter points at: "R12" is line 12 of the proposed file, "L7"
 * line 7 of the file before (a removed line). Null for anything else.
 */
export function lineFromDiffClick(lineId: string): { side: "old" | "new"; line: number } | null {
  const match = /^([LR])-?(\d+)$/.exec(lineId);
  if (!match) return null;
  const line = Number(match[2]);
  if (!Number.isInteger(line) || line < 1) return null;
  return { side: match[1] === "L" ? "old" : "new", line };
}

/**
 * The review comments sent with "Request revisions", checked with the shared schema: at least
 * one, each with a comment, each path one of the changeset's files.
 */
export function parseReviewDrafts(
  drafts: readonly TReviewDraft[],
  files: readonly Pick<TChangesetFile, "path">[],
): { ok: true; reviews: TChangesetReviewInput[] } | { ok: false; error: string } {
  if (drafts.length === 0) return { ok: false, error: "Add at least one comment that says what to change." };
  const paths = new Set(files.map((file) => file.path));
  const reviews: TChangesetReviewInput[] = [];
  for (const draft of drafts) {
    if (draft.path && !paths.has(draft.path)) return { ok: false, error: `${draft.path} is not a file of this changeset.` };
    const parsed = ZChangesetReviewInput.safeParse({ ...draft, line: draft.path ? draft.line : null });
    if (!parsed.success) {
      return { ok: false, error: `${describeReviewPlace(draft)}: ${parsed.error.issues.map((issue) => issue.message).join("; ")}` };
    }
    reviews.push(parsed.data);
  }
  return { ok: true, reviews };
}
