import type http from "node:http";
import { PRESENCE_STREAM_PATH } from "@mission-control/shared/control-api";

/** How soon a browser's EventSource reconnects after the stream drops (the `retry:` field). */
const RECONNECT_MS = 1_000;
/** A comment this often keeps idle proxies from closing the stream. */
const KEEP_ALIVE_MS = 15_000;

/** The open presence streams of one Control API. */
export interface TPresenceStreams {
  /** Answers GET /health/stream (true) or leaves the request to the routes (false). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /** Ends every open stream and refuses new ones: each dashboard sees the executor go at once and re-checks. */
  endAll(): void;
}

/**
 * Server-sent events that carry nothing but this executor's presence: the dashboard keeps one
 * open, so the moment the executor exits (or is killed: the socket closes) its badge re-checks,
 * and the browser's own reconnect (every second) finds it again as soon as it is back. Polling
 * /health stays the source of truth; the stream only says when to look.
 */
export function createPresenceStreams(): TPresenceStreams {
  const open = new Set<http.ServerResponse>();
  let ended = false;
  const keepAlive = setInterval(() => {
    for (const res of open) res.write(": alive\n\n");
  }, KEEP_ALIVE_MS);
  keepAlive.unref();
  return {
    handle(req, res) {
      const path = (req.url ?? "").split("?")[0];
      if (path !== PRESENCE_STREAM_PATH || req.method !== "GET") return false;
      if (ended) {
        // Stopping: a browser reconnecting on a kept-alive socket must not hold the server open.
        res.writeHead(503, { connection: "close", "content-type": "text/plain; charset=utf-8" });
        res.end("The executor is stopping.");
        return true;
      }
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      res.write(`retry: ${RECONNECT_MS}\nevent: presence\ndata: up\n\n`);
      open.add(res);
      res.on("close", () => open.delete(res));
      return true;
    },
    endAll() {
      ended = true;
      clearInterval(keepAlive);
      for (const res of open) res.end();
      open.clear();
    },
  };
}
