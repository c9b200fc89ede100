import { type TRun, ZRun } from "@mission-control/shared/rows";
import { type TChangesetReviewInput, ZChangesetReviewInput } from "@mission-control/shared/schemas";
import { rpcWriteError } from "../actions/rpc-write-error.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/**
 * Sends review comments back to the agent (`request_changeset_revision`): the database records
 * them, rejects the changeset's proposal, marks the changeset revision_requested and queues the
 * next implement run with the comments as its constraints. Returns that run.
 */
export async function requestChangesetRevision(
  client: TBrowserClient,
  changesetId: string,
  reviews: readonly TChangesetReviewInput[],
): Promise<TRun> {
  const checked = reviews.map((review) => ZChangesetReviewInput.parse(review));
  const { data, error } = await client.rpc("request_changeset_revision", { p_changeset_id: changesetId, p_reviews: checked });
  if (error) throw rpcWriteError("request revisions", error);
  return ZRun.parse(data);
}
