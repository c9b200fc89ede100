import type { TSetProviderKeyAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import { ZProviderApiKey } from "@mission-control/shared/schemas";
import { callProviderRoute, type TProviderRouteOptions } from "./call-provider-route.ts";

/**
 * Sends a connection's API key to the executor once (it encrypts and stores it; the browser never
 * reads it back, only its last four characters), or removes it with `apiKey` null.
 */
export async function setProviderKey(
  options: TProviderRouteOptions & { connectionId: string; apiKey: string | null },
): Promise<TSetProviderKeyAnswer> {
  let apiKey: string | null = null;
  if (options.apiKey !== null) {
    const parsed = ZProviderApiKey.safeParse(options.apiKey);
    if (!parsed.success)
      throw new AppError("invalid_input", { message: `The API key ${parsed.error.issues[0]?.message ?? "is not valid"}.` });
    apiKey = parsed.data;
  }
  return callProviderRoute(options, apiKey === null ? "remove the key" : "store the key", (client) =>
    client.setProviderKey({ accessToken: options.accessToken, connectionId: options.connectionId, apiKey }),
  );
}
