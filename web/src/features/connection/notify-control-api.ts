import { AppError } from "@mission-control/shared/errors";

/**
 * Asks the executor's Control API to pick up a message's deliveries now
 * (`POST /api/chat/deliver {message_id}`, authenticated with the user's Supabase access token).
 * The message is already in the database: a failure here only delays pickup.
 */
export async function notifyControlApi(options: {
  controlApiUrl: string;
  accessToken: string;
  messageId: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<void> {
  const fetchFn = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetchFn(`${options.controlApiUrl}/api/chat/deliver`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${options.accessToken}` },
      body: JSON.stringify({ message_id: options.messageId }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 4000),
    });
  } catch (cause) {
    throw new AppError("control_api_unreachable", {
      message: `Control API unreachable at ${options.controlApiUrl}: the message is queued and will run when the executor is back.`,
      cause,
    });
  }
  if (!response.ok) {
    const body = await response.text().catch(() => "");
    throw new AppError("control_api_unreachable", {
      message:
        `Control API answered HTTP ${response.status} at ${options.controlApiUrl}: the message is queued and will run when the executor is back. ${body.slice(0, 200)}`.trim(),
      details: { status: response.status },
    });
  }
}
