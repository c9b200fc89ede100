import type { TProvisionAnswer } from "@mission-control/shared/control-api";
import { notifyExecutor } from "../connection/notify-executor.ts";

/**
 * Asks the executor's Control API to apply an agent change now (`POST /api/agents/provision
 * {request_id}`, with the user's Supabase access token) and returns what happened to it. The
 * request is already in the database: a failure here only means it applies when the executor's
 * provisioning worker picks it up. Null: the executor took it but answered in a form this
 * dashboard cannot read (another version); the request row says what happened.
 */
export function notifyAgentProvision(options: {
  controlApiUrl: string;
  accessToken: string;
  requestId: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<TProvisionAnswer | null> {
  return notifyExecutor(
    {
      controlApiUrl: options.controlApiUrl,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? 8000,
      whenRefused: "the change is saved and applies when the executor picks it up.",
      whenUnreachable: "the change is saved and applies when the executor is back.",
    },
    (client) => client.provisionAgent({ accessToken: options.accessToken, requestId: options.requestId }),
  );
}
