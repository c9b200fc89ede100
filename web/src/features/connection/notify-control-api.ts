import { answeredStatusOf, createControlApiClient } from "@mission-control/shared/control-api";
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
  const client = createControlApiClient({ baseUrl: options.controlApiUrl, fetch: options.fetch, timeoutMs: options.timeoutMs ?? 4000 });
  try {
    await client.deliver({ accessToken: options.accessToken, messageId: options.messageId });
  } catch (cause) {
    const status = answeredStatusOf(cause);
    // A 2xx whose body this dashboard cannot read (an executor of another version) still took the request.
    if (status !== null && status >= 200 && status < 300) return;
    if (status !== null) {
      throw new AppError("control_api_unreachable", {
        message: `Control API answered HTTP ${status} at ${options.controlApiUrl}: the message is queued and will run when the executor is back. ${(cause as Error).message}`,
        cause,
        details: { status },
      });
    }
    // A request the contract refuses before sending (not a message id) says so itself.
    if (!(cause instanceof AppError) || cause.code !== "control_api_unreachable") throw cause;
    throw new AppError("control_api_unreachable", {
      message: `Control API unreachable at ${options.controlApiUrl}: the message is queued and will run when the executor is back.`,
      cause,
    });
  }
}
