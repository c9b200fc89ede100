import { answeredStatusOf, createControlApiClient } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";

/**
 * Asks the executor's Control API to run an approved proposal now
 * (`POST /api/approvals/:proposalId/execute`, with the user's Supabase access token). The approval
 * is already in the database: a failure here (executor down, or an executor without this route)
 * only means the executor's approval worker picks it up on its next poll.
 */
export async function requestApprovalExecution(options: {
  controlApiUrl: string;
  accessToken: string;
  proposalId: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<void> {
  const client = createControlApiClient({ baseUrl: options.controlApiUrl, fetch: options.fetch, timeoutMs: options.timeoutMs ?? 4000 });
  try {
    await client.executeApproval({ accessToken: options.accessToken, proposalId: options.proposalId });
  } catch (cause) {
    const status = answeredStatusOf(cause);
    // A 2xx whose body this dashboard cannot read (an executor of another version) still took the request.
    if (status !== null && status >= 200 && status < 300) return;
    if (status !== null) {
      const url = String((cause as AppError).details.url);
      throw new AppError("control_api_unreachable", {
        message: `Control API answered HTTP ${status} at ${url}: the approval is saved and runs when the executor picks it up. ${(cause as Error).message}`,
        cause,
        details: { status },
      });
    }
    // A request the contract refuses before sending (not a proposal id) says so itself.
    if (!(cause instanceof AppError) || cause.code !== "control_api_unreachable") throw cause;
    throw new AppError("control_api_unreachable", {
      message: `Control API unreachable at ${options.controlApiUrl}: the approval is saved and runs when the executor is back.`,
      cause,
    });
  }
}
