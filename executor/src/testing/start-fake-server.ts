import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake server received, body parsed as JSON when possible. */
export type TRecordedRequest = { method: string; url: string; headers: IncomingHttpHeaders; body: unknown };

/** Answers one request; `index` counts requests from 0. */
export type TFakeHandler = (request: TRecordedRequest, res: ServerResponse, index: number) => void | Promise<void>;

/** A running fake HTTP server on 127.0.0.1 and a free port. */
export type TFakeServer = {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  url: string;
  requests: TRecordedRequest[];
  /** Resolves when the server sees a client close a connection mid-response. */
  clientAborted: Promise<void>;
  close(): Promise<void>;
};

/**
 * Starts a scripted HTTP server for provider tests. `handlers` is one handler for every request,
 * or a list used in order (the last one repeats).
 */
export async function startFakeServer(handlers: TFakeHandler | readonly TFakeHandler[]): Promise<TFakeServer> {
  const list = Array.isArray(handlers) ? handlers : [handlers];
  const requests: TRecordedRequest[] = [];
  let onClientAbort: () => void = () => {};
  const clientAborted = new Promise<void>((resolve) => {
    onClientAbort = resolve;
  });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // keep the raw text
    }
    const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
    const index = requests.push(recorded) - 1;
    res.on("close", () => {
      if (!res.writableFinished) onClientAbort();
    });
    const handler = list[Math.min(index, list.length - 1)];
    await handler?.(recorded, res, index);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    clientAborted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Writes raw SSE text (already formatted) and ends the response unless `keepOpen`. */
export function sendSse(res: ServerResponse, parts: readonly string[], options: { keepOpen?: boolean } = {}): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const part of parts) res.write(part);
  if (!options.keepOpen) res.end();
}

/** Formats one SSE event: optional `event:` line, one `data:` line, blank line. */
export function sseEvent(data: unknown, event?: string): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return `${event ? `event: ${event}\n` : ""}data: ${payload}\n\n`;
}

/** A sleep that returns at once and records what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}
