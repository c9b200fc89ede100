import { answeredStatusOf, createControlApiClient, type TProvisionAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";

/**
 * Asks the executor's Control API to apply an agent change now (`POST /api/agents/provision
 * {request_id}`, with the user's Supabase access token) and returns what happened to it. The
 * request is already in the database: a failure here only means it applies when the executor's
 * provisioning worker picks it up. Null: the executor took it but answered in a form this
 * dashboard cannot read (another version); the request row says what happened.
 */
export async function notifyAgentProvision(options: {
  controlApiUrl: string;
  accessToken: string;
  requestId: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<TProvisionAnswer | null> {
  const client = createControlApiClient({ baseUrl: options.controlApiUrl, fetch: options.fetch, timeoutMs: options.timeoutMs ?? 8000 });
  try {
    return await client.provisionAgent({ accessToken: options.accessToken, requestId: options.requestId });
  } catch (cause) {
    const status = answeredStatusOf(cause);
    if (status !== null && status >= 200 && status < 300) return null;
    if (status !== null) {
      throw new AppError("control_api_unreachable", {
        message: `Control API answered HTTP ${status} at ${options.controlApiUrl}: the change is saved and applies when the executor picks it up. ${(cause as Error).message}`,
        cause,
        details: { status },
      });
    }
    // A request the contract refuses before sending (not a request id) says so itself.
    if (!(cause instanceof AppError) || cause.code !== "control_api_unreachable") throw cause;
    throw new AppError("control_api_unreachable", {
      message: `Control API unreachable at ${options.controlApiUrl}: the change is saved and applies when the executor is back.`,
      cause,
    });
  }
}
