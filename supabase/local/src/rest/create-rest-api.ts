import { httpError } from "../gateway/http-helpers.ts";
import type { TGatewayContext, THttpModule } from "../gateway/module-context.ts";

export interface TRestApi extends THttpModule {
  reloadSchema(): Promise<void>;
}

/** PostgREST-compatible `/rest/v1`. */
export async function createRestApi(_ctx: TGatewayContext): Promise<TRestApi> {
  return {
    handle: async () => {
      throw httpError(501, "PGRST501", "REST is being built");
    },
    reloadSchema: async () => {},
    close: async () => {},
  };
}
