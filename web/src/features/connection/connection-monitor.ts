import type { TLiveState, TLiveStore } from "../live/live-store.ts";
import { checkConnection, type TConnectionCheckDeps } from "./check-connection.ts";
import { watchExecutorPresence } from "./watch-executor-presence.ts";

/** How often the badge re-checks on its own while Live. */
export const CONNECTION_POLL_MS = 30_000;
/**
 * How often it re-checks while Backup, Offline or still checking: a returning executor or stack
 * turns the badge Live within about this long even when no other signal says so.
 */
export const DEGRADED_POLL_MS = 2_000;

let recheck: (() => void) | undefined;

/**
 * Re-checks the connection at once (after a failed call). Does nothing when no monitor runs.
 */
export function recheckConnection(): void {
  recheck?.();
}

/** What the badge should look at again when it changes: the realtime channel and the roster's offline agents. */
function signalsOf(state: TLiveState): string {
  let offline = 0;
  for (const row of Object.values(state.rows.agent_status)) if (row.status === "offline") offline += 1;
  return `${state.realtime.status}:${offline}`;
}

/**
 * Checks the connection now, then every 30 s while Live and every 2 s otherwise, and at once when
 * something says the answer may have changed: the browser goes on- or offline, the realtime
 * channel changes state (the stack went or came back), the roster's count of offline agents
 * changes (an executor stopped or started), the executor's presence stream opens or drops (it
 * exited, was killed or came back), or `recheckConnection()` is called. Writes each result to the
 * store. Returns a stop function.
 */
export function startConnectionMonitor(
  store: TLiveStore,
  deps: TConnectionCheckDeps,
  pollMs = CONNECTION_POLL_MS,
  degradedPollMs = DEGRADED_POLL_MS,
): () => void {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    if (timer) clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(trigger, store.getState().connection.mode === "live" ? pollMs : degradedPollMs);
  };

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

  function trigger() {
    if (stopped) return;
    // One check at a time; a request during a check runs one more right after it.
    if (running) {
      again = true;
      return;
    }
    running = runCheck().finally(() => {
      running = undefined;
      schedule();
      if (again) {
        again = false;
        trigger();
      }
    });
  }

  recheck = trigger;
  trigger();
  let signals = signalsOf(store.getState());
  const unsubscribe = store.subscribe((state) => {
    const next = signalsOf(state);
    if (next === signals) return;
    signals = next;
    trigger();
  });
  const stopPresence = watchExecutorPresence(deps.controlApiUrl, {
    opened: trigger,
    dropped: () => {
      // A stream that cannot connect fails again every second while the executor is away: only
      // the drop from Live is news, the degraded poll covers the rest.
      if (store.getState().connection.mode === "live") trigger();
    },
  });
  const onNetworkChange = () => trigger();
  globalThis.addEventListener?.("online", onNetworkChange);
  globalThis.addEventListener?.("offline", onNetworkChange);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    unsubscribe();
    stopPresence();
    globalThis.removeEventListener?.("online", onNetworkChange);
    globalThis.removeEventListener?.("offline", onNetworkChange);
    if (recheck === trigger) recheck = undefined;
  };
}
