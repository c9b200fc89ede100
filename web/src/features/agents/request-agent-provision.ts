import type { Json } from "@mission-control/shared/db";
import { AppError } from "@mission-control/shared/errors";
import { type TProvisionRequest, ZProvisionRequest } from "@mission-control/shared/rows";
import type { TAgentProfile, TProvisionAction } from "@mission-control/shared/schemas";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/** One change to a project's agents, as the dashboard asks for it. */
export interface TAgentProvisionInput {
  /** Chosen by the dashboard, so a resend of the same request is a no-op. */
  requestId: string;
  projectId: string;
  action: TProvisionAction;
  /** The agent's key now (for a create: the new key; a rename sends the new key in the profile). */
  agentKey: string;
  /** create: the full profile; update: only the changed fields; delete: nothing. */
  profile: Partial<TAgentProfile>;
}

/** Turns a PostgREST error of the request RPC into an AppError that says what to do. */
function requestError(action: TProvisionAction, error: { code?: string; message: string; hint?: string | null }): AppError {
  const text = [error.message, error.hint].filter(Boolean).join(" ");
  if (error.code === "42501" || /row-level security/i.test(error.message)) {
    return new AppError("forbidden", {
      message:
        action === "delete"
          ? "Only owners can delete agents: ask an owner of this project."
          : "Only owners and operators can change agents: ask an owner for the operator role.",
      cause: error,
    });
  }
  if (
    error.code?.startsWith("23") ||
    error.code === "22023" ||
    error.code === "P0001" ||
    error.code === "PT404" ||
    error.code === "P0002"
  ) {
    return new AppError("invalid_input", { message: `The agent change was refused: ${text}`, cause: error });
  }
  return new AppError("database_unreachable", { message: `Could not save the agent change: ${text}`, cause: error });
}

/**
 * Records a change to an agent as an agent_provision_requests row (`request_agent_provision`,
 * status queued). The executor validates and applies it: at once when the Control API is asked
 * to (Live mode), or when it comes back (Backup mode).
 */
export async function requestAgentProvision(client: TBrowserClient, input: TAgentProvisionInput): Promise<TProvisionRequest> {
  const { data, error } = await client.rpc("request_agent_provision", {
    p_id: input.requestId,
    p_project_id: input.projectId,
    p_action: input.action,
    p_agent_key: input.agentKey,
    p_profile: input.profile as Json,
  });
  if (error) throw requestError(input.action, error);
  return ZProvisionRequest.parse(data);
}
