"use client";

import type { TProposal } from "@mission-control/shared/rows";
import { useMemo } from "react";
import { executeWithFallback } from "../actions/execute-with-fallback.ts";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { requestApprovalExecution } from "./request-approval-execution.ts";
import { resolveActionProposal } from "./resolve-action-proposal.ts";

/** Shown when an approval is saved but the executor did not take it at once. */
export const APPROVAL_QUEUED_NOTICE = "Approved — it runs when the executor picks it up (the executor is not answering right now)";

/** What a decision led to, in words for the card. */
export interface TDecisionOutcome {
  proposal: TProposal;
  notice: string | null;
}

/**
 * Approve and reject, written to the database first (resolve_action_proposal). After an approval
 * in Live mode the Control API is asked to run it now (executeWithFallback); in Backup mode, or
 * when that call fails, the executor's worker runs it later and the card says so.
 */
export function useApprovalActions() {
  const { client, session } = useProject();
  const { controlApiUrl } = useClientConfig();
  const accessToken = session.access_token;
  const store = useLiveStoreApi();
  return useMemo(
    () => ({
      async approve(proposalId: string, params?: Record<string, unknown>, comment?: string): Promise<TDecisionOutcome> {
        // The decision is written first and its errors (already resolved, viewer, expired) are shown
        // as the database words them; only the pickup goes through the fallback.
        const row = await resolveActionProposal(client, { proposalId, decision: "approve", params, comment });
        store.getState().applyRows("action_proposals", [row]);
        if (row.status === "expired")
          return { proposal: row, notice: "Too late: this proposal expired before the approval, so nothing runs." };
        if (row.status !== "approved") return { proposal: row, notice: null };
        const outcome = await executeWithFallback(
          {
            write: async () => row,
            notify: (approved) => requestApprovalExecution({ controlApiUrl, accessToken, proposalId: approved.id }),
          },
          createFallbackDeps(store),
        );
        return { proposal: row, notice: outcome.pickup === "queued" ? APPROVAL_QUEUED_NOTICE : null };
      },
      async reject(proposalId: string, comment: string): Promise<TDecisionOutcome> {
        const row = await resolveActionProposal(client, { proposalId, decision: "reject", comment });
        store.getState().applyRows("action_proposals", [row]);
        if (row.status === "expired") return { proposal: row, notice: "Too late: this proposal had already expired." };
        return { proposal: row, notice: null };
      },
    }),
    [client, controlApiUrl, accessToken, store],
  );
}
