"use client";

import type { TChangeset, TChangesetReview, TRun } from "@mission-control/shared/rows";
import type { TChangesetReviewInput } from "@mission-control/shared/schemas";
import { useMemo } from "react";
import { type TDecisionOutcome, useApprovalActions } from "../approvals/use-approval-actions.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useRunActions } from "../runs/use-run-actions.ts";
import { addChangesetReview } from "./add-changeset-review.ts";
import type { TApplyChangesetParams } from "./build-approve-params.ts";
import { requestChangesetRevision } from "./request-changeset-revision.ts";
import { requestChangesetRollback } from "./request-changeset-rollback.ts";

/** What a review action led to, in words for the review (null when there is nothing to add). */
export interface TReviewOutcome {
  notice: string | null;
}

/** The executor did not hear a request at once: it acts when it is back. */
const WAITS_FOR_EXECUTOR = "the executor acts on it when it is back (it is not answering right now)";

/**
 * A changeset's review actions, each written to the database first as the signed-in member:
 * approve the checked files or reject (the approval's own path, with its execute wake-up),
 * request revisions (a new run, woken at once), comment, and roll back (woken at once).
 */
export function useChangesetActions() {
  const { client } = useProject();
  const store = useLiveStoreApi();
  const approvals = useApprovalActions();
  const runs = useRunActions();
  return useMemo(
    () => ({
      approve(proposalId: string, params: TApplyChangesetParams, comment?: string): Promise<TDecisionOutcome> {
        return approvals.approve(proposalId, params, comment);
      },
      reject(proposalId: string, comment: string): Promise<TDecisionOutcome> {
        return approvals.reject(proposalId, comment);
      },
      async requestRevision(changesetId: string, reviews: readonly TChangesetReviewInput[]): Promise<TReviewOutcome & { run: TRun }> {
        const run = await requestChangesetRevision(client, changesetId, reviews);
        store.getState().applyRows("ai_runs", [run]);
        const pickup = await runs.wake(run.id);
        return { run, notice: pickup === "queued" ? `Revision requested — ${WAITS_FOR_EXECUTOR}` : null };
      },
      async comment(changesetId: string, review: TChangesetReviewInput): Promise<TChangesetReview> {
        const row = await addChangesetReview(client, changesetId, review);
        store.getState().applyRows("changeset_reviews", [row]);
        return row;
      },
      async rollback(changeset: Pick<TChangeset, "id" | "run_id">): Promise<TReviewOutcome> {
        const row = await requestChangesetRollback(client, changeset.id);
        store.getState().applyRows("changesets", [row]);
        const pickup = await runs.wake(changeset.run_id);
        return { notice: pickup === "queued" ? `Rollback requested — ${WAITS_FOR_EXECUTOR}` : null };
      },
    }),
    [client, store, approvals, runs],
  );
}
