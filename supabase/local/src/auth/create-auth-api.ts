import { sendJson } from "../gateway/http-helpers.ts";
import type { TGatewayContext, THttpModule } from "../gateway/module-context.ts";

/** GoTrue-compatible `/auth/v1` subset. */
export function createAuthApi(_ctx: TGatewayContext): THttpModule {
  return {
    handle: async (_req, res) => {
      sendJson(res, 200, { name: "GoTrue", version: "local" });
    },
    close: async () => {},
  };
}
