import type { Json } from "@mission-control/shared/db";
import type { AGENT_STATUSES } from "@mission-control/shared/schemas";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** The statuses an agent shows on the roster. */
export type TAgentStatus = (typeof AGENT_STATUSES)[number];

/** A new live status for an agent. */
export type TAgentStatusUpdate = {
  status: TAgentStatus;
  currentAction: string;
  contextUsage?: Record<string, unknown>;
  lastModel?: string;
};

/**
 * Updates an agent's live status row (created with the agent): status, a one-line current action,
 * last seen now, and optionally its context usage and last model.
 */
export async function setAgentStatus(db: TDb, agentId: string, update: TAgentStatusUpdate): Promise<void> {
  const { error } = await db
    .from("agent_status")
    .update({
      status: update.status,
      current_action: oneLine(update.currentAction, 300),
      last_seen_at: new Date().toISOString(),
      ...(update.contextUsage ? { context_usage: update.contextUsage as NonNullable<Json> } : {}),
      ...(update.lastModel ? { last_model: update.lastModel } : {}),
    })
    .eq("agent_id", agentId);
  if (error) throw readDbError(error, `Could not update the status of agent ${agentId}`, "database_unreachable");
}

/** Collapses whitespace and cuts to `max` characters with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
