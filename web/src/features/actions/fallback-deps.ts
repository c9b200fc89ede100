import { recheckConnection } from "../connection/connection-monitor.ts";
import type { TLiveStore } from "../live/live-store.ts";
import type { TFallbackDeps } from "./execute-with-fallback.ts";

/** executeWithFallback's view of the app: the badge's mode in `store`, and an immediate re-check on failure. */
export function createFallbackDeps(store: TLiveStore): TFallbackDeps {
  return {
    getMode: () => store.getState().connection.mode,
    recheck: recheckConnection,
  };
}
