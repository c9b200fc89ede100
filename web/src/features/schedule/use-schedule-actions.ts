"use client";

import { createControlApiClient, type TScheduleRequestOutcome } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { TMissedPolicy, TScheduleKind } from "@mission-control/shared/schemas";
import { useMemo } from "react";
import { executeWithFallback } from "../actions/execute-with-fallback.ts";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";

/** A new scheduled job as the form collects it. */
export type TNewJob = {
  name: string;
  schedule_kind: TScheduleKind;
  schedule_expr: string;
  time_zone: string;
  missed_policy: TMissedPolicy;
  instructions: string;
  target_agent_key: string | null;
};

/** The fields of a job a patch may change. */
export type TJobPatch = Partial<Pick<TNewJob, "name" | "schedule_expr" | "time_zone" | "missed_policy" | "instructions">> & {
  enabled?: boolean;
};

/** What the Schedule page can do; each answers a notice to show (null when the executor applied it at once). */
export interface TScheduleActions {
  create(job: TNewJob): Promise<string | null>;
  patch(jobId: string, patch: TJobPatch): Promise<string | null>;
  remove(jobId: string): Promise<string | null>;
  runNow(jobId: string): Promise<string | null>;
  /** Turns an agent's heartbeat on or off and sets its interval (agents.heartbeat, through a schedule request). */
  setHeartbeat(agentKey: string, heartbeat: { enabled: boolean; intervalMinutes: number }): Promise<string | null>;
}

const TABLES = {
  create: "cron_create_requests",
  patch: "cron_job_patch_requests",
  delete: "cron_delete_requests",
  run: "cron_run_requests",
} as const;

/**
 * Schedule controls of the current project, through executeWithFallback: the request row is written
 * first (RLS: operators), then in Live mode `POST /api/schedule/apply` applies it at once; in Backup
 * the executor applies it, in order, when it is back. A request the executor refused throws its reason.
 */
export function useScheduleActions(): TScheduleActions {
  const { project, client, session } = useProject();
  const { controlApiUrl } = useClientConfig();
  const accessToken = session.access_token;
  const store = useLiveStoreApi();
  return useMemo(() => {
    const deps = createFallbackDeps(store);
    const api = createControlApiClient({ baseUrl: controlApiUrl, timeoutMs: 15_000 });
    const request = async (kind: keyof typeof TABLES, row: Record<string, unknown>): Promise<string | null> => {
      const id = crypto.randomUUID();
      let outcome: TScheduleRequestOutcome | undefined;
      const result = await executeWithFallback(
        {
          write: async () => {
            // The row's shape is the table's: the database checks it (a refusal comes back as its sentence).
            const { error } = await client.from(TABLES[kind]).insert({ id, project_id: project.id, ...row } as never);
            if (error) throw new AppError(error.code === "42501" ? "forbidden" : "invalid_input", { message: error.message });
            return id;
          },
          notify: async () => {
            const answer = await api.applySchedule({ accessToken, projectId: project.id });
            outcome = answer.applied.find((item) => item.request_id === id);
          },
        },
        deps,
      );
      if (outcome?.status === "failed")
        throw new AppError("invalid_input", { message: outcome.error ?? "The executor refused the change" });
      return result.notice;
    };
    return {
      create: (job) => request("create", job),
      patch: (jobId, patch) => request("patch", { job_id: jobId, patch }),
      remove: (jobId) => request("delete", { job_id: jobId }),
      runNow: (jobId) => request("run", { job_id: jobId }),
      setHeartbeat: (agentKey, heartbeat) =>
        request("create", {
          name: `Heartbeat @${agentKey}`,
          schedule_kind: "every",
          schedule_expr: `${heartbeat.intervalMinutes}m`,
          job_intent: "heartbeat",
          target_agent_key: agentKey,
          enabled: heartbeat.enabled,
        }),
    };
  }, [client, project.id, controlApiUrl, accessToken, store]);
}
