"use client";

import type { TRun } from "@mission-control/shared/rows";
import type { TRunStartInput } from "@mission-control/shared/schemas";
import { useMemo } from "react";
import { executeWithFallback, type TFallbackOutcome } from "../actions/execute-with-fallback.ts";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { cancelAiRun } from "./cancel-ai-run.ts";
import { startAiRun } from "./start-ai-run.ts";
import { wakeRun } from "./wake-run.ts";

/** Shown when a run is saved but the executor is not there to act on it now. */
export const RUN_QUEUED_NOTICE = "Queued — the executor picks it up when it is back (it is not answering right now)";

/** Shown when a cancel is saved but the executor did not hear it at once. */
export const CANCEL_QUEUED_NOTICE = "Cancelled — the executor stops the agent's work when it next checks in";

/** Start and cancel a run: the RPC first (the truth), then a best-effort wake-up of the executor so it acts at once. */
export interface TRunActions {
  start(input: TRunStartInput, runId: string): Promise<TFallbackOutcome<TRun>>;
  cancel(runId: string): Promise<TFallbackOutcome<TRun>>;
  /** Wakes the executor for a run (after a rollback request, a revision). Never throws: the work is saved already. */
  wake(runId: string): Promise<"immediate" | "queued">;
}

/** The run actions of the current project, each through executeWithFallback. */
export function useRunActions(): TRunActions {
  const { project, client, session } = useProject();
  const { controlApiUrl } = useClientConfig();
  const accessToken = session.access_token;
  const store = useLiveStoreApi();
  return useMemo(() => {
    const deps = createFallbackDeps(store);
    const notify = (run: TRun) => wakeRun({ controlApiUrl, accessToken, runId: run.id });
    const withNotice = (outcome: TFallbackOutcome<TRun>, notice: string) => ({ ...outcome, notice: outcome.notice ? notice : null });
    return {
      start: async (input, runId) =>
        withNotice(
          await executeWithFallback(
            {
              write: async () => {
                const run = await startAiRun(client, { projectId: project.id, runId, run: input });
                store.getState().applyRows("ai_runs", [run]);
                return run;
              },
              notify,
            },
            deps,
          ),
          RUN_QUEUED_NOTICE,
        ),
      cancel: async (runId) =>
        withNotice(
          await executeWithFallback(
            {
              write: async () => {
                const run = await cancelAiRun(client, runId);
                store.getState().applyRows("ai_runs", [run]);
                return run;
              },
              notify,
            },
            deps,
          ),
          CANCEL_QUEUED_NOTICE,
        ),
      wake: async (runId) => {
        const outcome = await executeWithFallback(
          { write: async () => runId, notify: (id) => wakeRun({ controlApiUrl, accessToken, runId: id }) },
          deps,
        );
        return outcome.pickup;
      },
    };
  }, [client, project.id, controlApiUrl, accessToken, store]);
}
