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
  const fetchFn = options.fetch ?? fetch;
  const url = `${options.controlApiUrl}/api/approvals/${encodeURIComponent(options.proposalId)}/execute`;
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${options.accessToken}` },
      body: "{}",
      signal: AbortSignal.timeout(options.timeoutMs ?? 4000),
    });
  } catch (cause) {
    throw new AppError("control_api_unreachable", {
      message: `Control API unreachable at ${options.controlApiUrl}: the approval is saved and runs when the executor is back.`,
      cause,
    });
  }
  if (!response.ok) {
    const body = await response.text().catch(() => "");
    throw new AppError("control_api_unreachable", {
      message:
        `Control API answered HTTP ${response.status} at ${url}: the approval is saved and runs when the executor picks it up. ${body.slice(0, 200)}`.trim(),
      details: { status: response.status },
    });
  }
}
