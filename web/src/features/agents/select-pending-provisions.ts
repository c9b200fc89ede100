import type { TProvisionRequest } from "@mission-control/shared/rows";
import { FIELD_LABELS, type TDraftField } from "./agent-draft.ts";

/** A provisioning request still worth showing: waiting for the executor, or refused with a reason. */
export interface TPendingProvision {
  request: TProvisionRequest;
  state: "queued" | "failed";
  /** What was asked, in words: "Create @backend", "Update @lead: Model, Temperature". */
  summary: string;
}

/** The fields an update changed, by their editor labels (the connection shows as the provider). */
function changedFields(profile: Record<string, unknown>): string[] {
  const labels = new Set<string>();
  for (const key of Object.keys(profile)) {
    const field = (key === "provider_connection_id" ? "provider" : key) as TDraftField;
    labels.add(FIELD_LABELS[field] ?? key);
  }
  return [...labels];
}

/** What a request asks for, in words. */
export function describeProvisionRequest(request: TProvisionRequest): string {
  const key = `@${request.agent_key}`;
  const profile = request.profile;
  switch (request.action) {
    case "create":
      return `Create ${key}`;
    case "delete":
      return `Delete ${key}`;
    case "update": {
      const keys = Object.keys(profile);
      if (keys.length === 1 && typeof profile.enabled === "boolean") return `${profile.enabled ? "Enable" : "Disable"} ${key}`;
      const renamed = typeof profile.agent_key === "string" && profile.agent_key !== request.agent_key ? profile.agent_key : null;
      const fields = changedFields(profile).filter((label) => !(renamed && label === FIELD_LABELS.agent_key));
      const head = renamed ? `Rename ${key} to @${renamed}` : `Update ${key}`;
      if (fields.length === 0) return head;
      return `${head}${renamed ? " and change" : ":"} ${fields.join(", ")}`;
    }
  }
}

/**
 * True when a request is about this agent: made for it (its id), or not yet tied to an agent and
 * naming its key. A refused create that reused an existing agent's key is not about that agent;
 * an agent not created yet (no id) is known by its key only.
 */
function concerns(request: TProvisionRequest, agent: { id: string; agent_key: string }): boolean {
  if (!agent.id) return request.agent_key === agent.agent_key;
  if (request.agent_id !== null) return request.agent_id === agent.id;
  return request.action !== "create" && request.agent_key === agent.agent_key;
}

/**
 * The project's provisioning requests to show, newest first: every queued one, and each failed
 * one until the operator dismisses it or asks again for the same agent (a later request for that
 * key or agent supersedes it). Applied requests are done and not shown.
 */
export function selectPendingProvisions(
  requests: Iterable<TProvisionRequest>,
  projectId: string,
  options: { agent?: { id: string; agent_key: string }; dismissed?: ReadonlySet<string> } = {},
): TPendingProvision[] {
  const mine = [...requests].filter((r) => r.project_id === projectId);
  const at = (request: TProvisionRequest) => Date.parse(request.created_at);
  const latest = new Map<string, number>();
  for (const request of mine) {
    for (const who of [`key:${request.agent_key}`, request.agent_id ? `id:${request.agent_id}` : null]) {
      if (who && (latest.get(who) ?? 0) < at(request)) latest.set(who, at(request));
    }
  }
  const superseded = (request: TProvisionRequest) =>
    (latest.get(`key:${request.agent_key}`) ?? 0) > at(request) ||
    (request.agent_id !== null && (latest.get(`id:${request.agent_id}`) ?? 0) > at(request));
  const { agent, dismissed } = options;
  return mine
    .filter((r) => !agent || concerns(r, agent))
    .filter((r) => r.status === "queued" || (r.status === "failed" && !superseded(r) && !dismissed?.has(r.id)))
    .sort((a, b) => at(b) - at(a) || b.seq - a.seq)
    .map((request) => ({ request, state: request.status === "queued" ? "queued" : "failed", summary: describeProvisionRequest(request) }));
}
