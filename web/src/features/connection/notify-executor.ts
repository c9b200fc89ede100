import { answeredStatusOf, createControlApiClient, type TControlApiClient } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";

/** Where the executor is, and what to tell the user when it did not take the work now (the work is saved either way). */
export interface TNotifyExecutorOptions {
  controlApiUrl: string;
  fetch?: typeof fetch;
  timeoutMs: number;
  /** Ends the message when the executor answered with an error status, e.g. "the message is queued and will run when the executor is back." */
  whenRefused: string;
  /** Ends the message when nothing answered. */
  whenUnreachable: string;
}

/**
 * Asks the executor's Control API to act now on work already written to the database. Returns the
 * route's answer, or null when the executor took the request but answered in a form this dashboard
 * cannot read (another version). Any other failure is `control_api_unreachable` with the sentence
 * for the case: the work waits for the executor's workers. A request the contract refuses before
 * sending (a malformed id) keeps its own error.
 */
export async function notifyExecutor<T>(
  options: TNotifyExecutorOptions,
  call: (client: TControlApiClient) => Promise<T>,
): Promise<T | null> {
  const client = createControlApiClient({ baseUrl: options.controlApiUrl, fetch: options.fetch, timeoutMs: options.timeoutMs });
  try {
    return await call(client);
  } catch (cause) {
    const status = answeredStatusOf(cause);
    if (status !== null && status >= 200 && status < 300) return null;
    if (status !== null) {
      throw new AppError("control_api_unreachable", {
        message: `Control API answered HTTP ${status} at ${options.controlApiUrl}: ${options.whenRefused} ${(cause as Error).message}`,
        cause,
        details: { status },
      });
    }
    if (!(cause instanceof AppError) || cause.code !== "control_api_unreachable") throw cause;
    throw new AppError("control_api_unreachable", {
      message: `Control API unreachable at ${options.controlApiUrl}: ${options.whenUnreachable}`,
      cause,
    });
  }
}
