"use client";

import { type TChangeset, type TChangesetFile, type TChangesetReview, type TProposal, ZProposal } from "@mission-control/shared/rows";
import { useEffect, useMemo } from "react";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useWatched } from "../live/use-watched.ts";
import { useProject } from "../projects/project-context.tsx";

/** A changeset on screen with everything its review shows, live. */
export interface TChangesetView {
  changeset: TChangeset | undefined;
  /** In the changeset's order. */
  files: TChangesetFile[];
  /** Oldest first. */
  reviews: TChangesetReview[];
  /** The apply_changeset proposal the review decides (undefined while it is read). */
  proposal: TProposal | undefined;
  loaded: boolean;
  error: string | null;
}

/**
 * Holds a changeset open on screen (catch-up re-reads it, its files and its reviews) and returns
 * them from the store; reads its proposal once when the store does not hold it (an old one).
 */
export function useChangeset(changesetId: string | null): TChangesetView {
  const { client } = useProject();
  const store = useLiveStoreApi();
  const watched = useWatched("changeset", changesetId, ["changesets", "changeset_files", "changeset_reviews"]);
  const changeset = useLiveStore((s) => (changesetId ? s.rows.changesets[changesetId] : undefined));
  const fileRows = useLiveStore((s) => s.rows.changeset_files);
  const reviewRows = useLiveStore((s) => s.rows.changeset_reviews);
  const proposalId = changeset?.proposal_id ?? null;
  const proposal = useLiveStore((s) => (proposalId ? s.rows.action_proposals[proposalId] : undefined));

  useEffect(() => {
    if (!proposalId || store.getState().rows.action_proposals[proposalId]) return;
    void client
      .from("action_proposals")
      .select("*")
      .eq("id", proposalId)
      .maybeSingle()
      .then(({ data }) => {
        const parsed = ZProposal.safeParse(data);
        if (parsed.success) store.getState().applyRows("action_proposals", [parsed.data]);
      });
  }, [client, store, proposalId]);

  const files = useMemo(
    () =>
      Object.values(fileRows)
        .filter((file) => file.changeset_id === changesetId)
        .sort((a, b) => a.position - b.position || a.path.localeCompare(b.path)),
    [fileRows, changesetId],
  );
  const reviews = useMemo(
    () =>
      Object.values(reviewRows)
        .filter((review) => review.changeset_id === changesetId)
        .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.seq - b.seq),
    [reviewRows, changesetId],
  );
  return { changeset, files, reviews, proposal, loaded: watched.loaded, error: watched.error };
}
