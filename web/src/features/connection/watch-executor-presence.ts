import { PRESENCE_STREAM_PATH } from "@mission-control/shared/control-api";

/** How long to wait before opening a stream the browser gave up on (an HTTP error, not a dropped connection). */
const REOPEN_MS = 2_000;

/**
 * Keeps an EventSource open on the executor's presence stream and says when it opens (the executor
 * is there, or back) and when it drops (it exited or was killed). The browser reconnects a dropped
 * stream by itself (every second, as the stream asks); one it closed for good (an HTTP error) is
 * opened again here. Does nothing where EventSource does not exist (tests, server rendering).
 */
export function watchExecutorPresence(controlApiUrl: string, on: { opened: () => void; dropped: () => void }): () => void {
  const EventSourceImpl = globalThis.EventSource;
  if (typeof EventSourceImpl !== "function") return () => {};
  let source: EventSource | null = null;
  let reopen: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const open = () => {
    if (stopped) return;
    source = new EventSourceImpl(`${controlApiUrl.replace(/\/+$/, "")}${PRESENCE_STREAM_PATH}`);
    source.onopen = () => on.opened();
    source.onerror = () => {
      on.dropped();
      if (source?.readyState === EventSourceImpl.CLOSED) {
        source = null;
        reopen = setTimeout(open, REOPEN_MS);
      }
    };
  };
  open();
  return () => {
    stopped = true;
    if (reopen) clearTimeout(reopen);
    source?.close();
  };
}
