"use client";

import type { TProposal } from "@mission-control/shared/rows";
import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useNow } from "../ui/use-now.ts";
import { selectPendingProposals } from "./select-pending-proposals.ts";

/** The project's pending proposals, oldest first, live (and re-evaluated as they expire). */
export function usePendingProposals(projectId: string): TProposal[] {
  const proposals = useLiveStore((s) => s.rows.action_proposals);
  const now = useNow(15_000);
  return useMemo(() => selectPendingProposals(proposals, projectId, now), [proposals, projectId, now]);
}
