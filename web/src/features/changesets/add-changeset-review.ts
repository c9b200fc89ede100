import { type TChangesetReview, ZChangesetReview } from "@mission-control/shared/rows";
import { type TChangesetReviewInput, ZChangesetReviewInput } from "@mission-control/shared/schemas";
import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/** Posts a review comment that resolves nothing (`add_changeset_review`): on the changeset, a file or a line. */
export async function addChangesetReview(
  client: TBrowserClient,
  changesetId: string,
  review: TChangesetReviewInput,
): Promise<TChangesetReview> {
  const checked = ZChangesetReviewInput.parse(review);
  const { data, error } = await client.rpc("add_changeset_review", {
    p_changeset_id: changesetId,
    p_kind: checked.kind,
    p_comment: checked.comment,
    ...(checked.path ? { p_path: checked.path } : {}),
    ...(checked.path && checked.line ? { p_line: checked.line } : {}),
  });
  if (error) throw rpcWriteError("post the comment", error);
  return ZChangesetReview.parse(data);
}
