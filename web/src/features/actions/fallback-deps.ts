import { recheckConnection } from "../connection/connection-monitor.ts";
import { liveStore } from "../live/live-store.ts";
import type { TFallbackDeps } from "./execute-with-fallback.ts";

/** executeWithFallback's view of the app: the badge's mode, and an immediate re-check on failure. */
export const appFallbackDeps: TFallbackDeps = {
  getMode: () => liveStore.getState().connection.mode,
  recheck: recheckConnection,
};
