import { createControlApiClient, type TControlApiClient } from "@mission-control/shared/control-api";
import { AppError, coerceError } from "@mission-control/shared/errors";

/** What a provider route call needs: where the executor is and the operator's Supabase access token. */
export interface TProviderRouteOptions {
  controlApiUrl: string;
  accessToken: string;
  fetch?: typeof fetch;
}

/**
 * Calls a provider route of the Control API. The executor's own refusals (not an operator, no
 * such connection, no key-encryption key configured) keep its words; no answer at all becomes
 * "the executor is not reachable", since only the executor can encrypt keys or make the call.
 */
export async function callProviderRoute<T>(
  options: TProviderRouteOptions,
  what: string,
  run: (client: TControlApiClient) => Promise<T>,
): Promise<T> {
  const client = createControlApiClient({ baseUrl: options.controlApiUrl, fetch: options.fetch });
  try {
    return await run(client);
  } catch (cause) {
    const error = coerceError(cause);
    if (error.code === "control_api_unreachable") {
      throw new AppError("control_api_unreachable", {
        message: `Could not ${what}: ${error.message}. Try again when the badge says Live.`,
        cause,
        details: error.details,
      });
    }
    throw new AppError(error.code, { message: `Could not ${what}: ${error.message}`, cause, details: error.details });
  }
}
