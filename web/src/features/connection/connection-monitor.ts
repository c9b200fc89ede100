import type { TLiveStore } from "../live/live-store.ts";
import { checkConnection, type TConnectionCheckDeps } from "./check-connection.ts";

/** How often the badge re-checks on its own. */
export const CONNECTION_POLL_MS = 30_000;

let recheck: (() => void) | undefined;

/**
 * Re-checks the connection at once (after a failed call). Does nothing when no monitor runs.
 */
export function recheckConnection(): void {
  recheck?.();
}

/**
 * Checks the connection now, every 30 s, when the browser goes on- or offline, and whenever
 * `recheckConnection()` is called; writes each result to the store. Returns a stop function.
 */
export function startConnectionMonitor(store: TLiveStore, deps: TConnectionCheckDeps, pollMs = CONNECTION_POLL_MS): () => void {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const runCheck = async () => {
    const result = await checkConnection(deps);
    if (stopped) return;
    const now = Date.now();
    const previous = store.getState().connection;
    store.getState().setConnection({
      mode: result.mode,
      lastCheckAt: now,
      lastLiveAt: result.mode === "live" ? now : previous.lastLiveAt,
      lastReachableAt: result.supabaseReachable ? now : previous.lastReachableAt,
      detail: result.detail,
    });
  };

  const trigger = () => {
    if (stopped) return;
    // One check at a time; a request during a check runs one more right after it.
    if (running) {
      again = true;
      return;
    }
    running = runCheck().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        trigger();
      }
    });
  };

  recheck = trigger;
  trigger();
  const timer = setInterval(trigger, pollMs);
  const onNetworkChange = () => trigger();
  globalThis.addEventListener?.("online", onNetworkChange);
  globalThis.addEventListener?.("offline", onNetworkChange);
  return () => {
    stopped = true;
    clearInterval(timer);
    globalThis.removeEventListener?.("online", onNetworkChange);
    globalThis.removeEventListener?.("offline", onNetworkChange);
    if (recheck === trigger) recheck = undefined;
  };
}
