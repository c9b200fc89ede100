"use client";

import type { TProvisionAnswer } from "@mission-control/shared/control-api";
import { type TAgent, type TProvisionRequest, ZAgent, ZProvisionRequest } from "@mission-control/shared/rows";
import type { TAgentProfile } from "@mission-control/shared/schemas";
import { useMemo } from "react";
import { executeWithFallback } from "../actions/execute-with-fallback.ts";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import type { TLiveStore } from "../live/live-store.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { notifyAgentProvision } from "./notify-agent-provision.ts";
import { requestAgentProvision, type TAgentProvisionInput } from "./request-agent-provision.ts";

/** Shown when a change is saved but no executor is there to apply it now. */
export const PROVISION_QUEUED_NOTICE = "Saved — applies when the executor is back";

/** Shown when an executor has the change but another one holds it this instant. */
const PROVISION_APPLYING_NOTICE = "Saved — the executor is applying it";

/** What became of an agent change. */
export interface TProvisionOutcome {
  request: TProvisionRequest;
  /** applied: done; failed: refused (message says why); queued: waits for the executor. */
  state: "applied" | "failed" | "queued";
  /** The refusal or the queued notice, in words; null when applied. */
  message: string | null;
  /** The agent created or changed (null when it was deleted or is not applied yet). */
  agent: TAgent | null;
}

/** The agent changes an operator (or, for delete, an owner) can ask for. */
export interface TAgentProvisioning {
  create(profile: TAgentProfile): Promise<TProvisionOutcome>;
  /** Sends only the changed fields (see diffAgentProfile). */
  update(agent: TAgent, patch: Partial<TAgentProfile>): Promise<TProvisionOutcome>;
  remove(agent: TAgent): Promise<TProvisionOutcome>;
}

/** Re-reads the request (and the agent it made or changed) so the screen shows the result before realtime does. */
async function readResult(
  client: TBrowserClient,
  store: TLiveStore,
  requestId: string,
  agentId: string | null,
): Promise<{ request: TProvisionRequest | null; agent: TAgent | null }> {
  const [request, agent] = await Promise.all([
    client.from("agent_provision_requests").select("*").eq("id", requestId).maybeSingle(),
    agentId ? client.from("agents").select("*").eq("id", agentId).maybeSingle() : Promise.resolve(null),
  ]);
  const requestRow = request.data ? ZProvisionRequest.safeParse(request.data) : null;
  const agentRow = agent?.data ? ZAgent.safeParse(agent.data) : null;
  if (requestRow?.success) store.getState().applyRows("agent_provision_requests", [requestRow.data]);
  if (agentRow?.success) store.getState().applyRows("agents", [agentRow.data]);
  return { request: requestRow?.success ? requestRow.data : null, agent: agentRow?.success ? agentRow.data : null };
}

/**
 * Agent changes through executeWithFallback: the request row is written first (the truth); in
 * Live mode the Control API applies it at once and answers whether it worked; in Backup mode (or
 * when that call fails) it waits in the queue and the executor applies it when it is back.
 */
export function useAgentProvisioning(): TAgentProvisioning {
  const { project, client, session } = useProject();
  const { controlApiUrl } = useClientConfig();
  const accessToken = session.access_token;
  const store = useLiveStoreApi();
  return useMemo(() => {
    const run = async (
      input: Omit<TAgentProvisionInput, "requestId" | "projectId">,
      agentId: string | null,
    ): Promise<TProvisionOutcome> => {
      const answered: { value: TProvisionAnswer | null } = { value: null };
      const outcome = await executeWithFallback(
        {
          write: async () => {
            const row = await requestAgentProvision(client, { ...input, requestId: crypto.randomUUID(), projectId: project.id });
            store.getState().applyRows("agent_provision_requests", [row]);
            return row;
          },
          notify: async (row) => {
            answered.value = await notifyAgentProvision({ controlApiUrl, accessToken, requestId: row.id });
          },
        },
        createFallbackDeps(store),
      );
      if (outcome.pickup === "queued") return { request: outcome.result, state: "queued", message: PROVISION_QUEUED_NOTICE, agent: null };
      const answer = answered.value;
      const read = await readResult(client, store, outcome.result.id, answer?.agent_id ?? agentId).catch(() => ({
        request: null,
        agent: null,
      }));
      const request = read.request ?? outcome.result;
      const status = answer?.status ?? request.status;
      if (status === "applied" && input.action === "delete" && agentId) {
        store.getState().removeRows("agents", [agentId]);
        store.getState().removeRows("agent_status", [agentId]);
      }
      if (status === "applied") return { request, state: "applied", message: null, agent: read.agent };
      if (status === "failed") {
        const error = answer?.error ?? request.error ?? "The executor refused the change without a reason.";
        return { request, state: "failed", message: error, agent: null };
      }
      return { request, state: "queued", message: PROVISION_APPLYING_NOTICE, agent: null };
    };
    return {
      create: (profile) => run({ action: "create", agentKey: profile.agent_key, profile }, null),
      update: (agent, patch) => run({ action: "update", agentKey: agent.agent_key, profile: patch }, agent.id),
      remove: (agent) => run({ action: "delete", agentKey: agent.agent_key, profile: {} }, agent.id),
    };
  }, [client, project.id, controlApiUrl, accessToken, store]);
}
