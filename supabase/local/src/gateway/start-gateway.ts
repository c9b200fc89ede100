import http from "node:http";
import type { Duplex } from "node:stream";
import { createAuthApi } from "../auth/create-auth-api.ts";
import { assertPortFree } from "../http/assert-port-free.ts";
import { corsHeaders, HttpError, httpError, MAX_DRAIN_BYTES, sendJson } from "../http/http-helpers.ts";
import type { TGatewayContext, THttpModule } from "../http/module-context.ts";
import { MAILBOX_PATH, serveMailbox } from "../mail/serve-mailbox.ts";
import { createRealtimeServer } from "../realtime/create-realtime-server.ts";
import { createRestApi } from "../rest/create-rest-api.ts";

export interface TGatewayHandle {
  url: string;
  /** Re-reads the REST schema cache now (also happens on NOTIFY pgrst). */
  reloadSchema(): Promise<void>;
  close(): Promise<void>;
}

/** The request's URL against the public base; a target that is no URL path (`//`, `http://[`) is a 400. */
function parseRequestUrl(target: string | undefined, base: string): URL {
  const raw = target ?? "/";
  try {
    // A target starting with "//" would be read as a host name: keep it a path.
    return new URL(raw.startsWith("//") ? `/${raw.replace(/^\/+/, "")}` : raw, base);
  } catch {
    throw httpError(400, "PGRST100", `"${raw.slice(0, 200)}" is not a valid request path`, null, "Send a path such as /rest/v1/<table>");
  }
}

/**
 * Reads and discards what is left of a request body before an answer that ignores it (a refusal,
 * a 204 to OPTIONS, an unknown route), so the keep-alive connection stays in step: Node closes a
 * connection whose request was not read to its end, and a keep-alive client that already sent its
 * next request on it would never get an answer. Resolves false when the body is larger than
 * MAX_DRAIN_BYTES or does not end within 10 s: the answer then says `connection: close`.
 */
function drainBody(req: http.IncomingMessage): Promise<boolean> {
  if (req.readableEnded) return Promise.resolve(true);
  if (req.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let size = 0;
    const done = (drained: boolean) => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      resolve(drained);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) done(false);
    };
    const onEnd = () => done(true);
    const onError = () => done(false);
    const timer = setTimeout(() => done(false), 10_000);
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
    req.resume();
  });
}

/**
 * Serves `/rest/v1`, `/auth/v1` and `/realtime/v1` on one port, the way a hosted Supabase
 * project serves them on one base URL.
 */
export async function startGateway(ctx: TGatewayContext, host: string, port: number): Promise<TGatewayHandle> {
  await assertPortFree(host, port, "the Supabase gateway", "MC_STACK_PORT");
  const rest = await createRestApi(ctx);
  const auth = createAuthApi(ctx);
  const realtime = await createRealtimeServer(ctx);
  const modules: Array<[string, THttpModule]> = [
    ["/rest/v1", rest],
    ["/auth/v1", auth],
    ["/realtime/v1", realtime],
  ];

  const server = http.createServer((req, res) => {
    const fail = async (err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (!(await drainBody(req))) res.setHeader("connection", "close");
      if (err instanceof HttpError) {
        sendJson(res, err.status, err.body, err.headers);
        return;
      }
      ctx.log.error({ err, method: req.method, path: req.url }, "gateway request failed");
      sendJson(res, 500, {
        code: "PGRST000",
        message: "Internal gateway error",
        details: (err as Error)?.message ?? null,
        hint: "See the stack's log for the cause",
      });
    };
    route(req, res)
      .catch(fail)
      .catch(() => res.destroy());
  });

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = parseRequestUrl(req.url, ctx.publicUrl);
    const cors = corsHeaders(req);
    for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
    if (req.method === "OPTIONS") {
      if (!(await drainBody(req))) res.setHeader("connection", "close");
      res.writeHead(204).end();
      return;
    }
    // The local mailbox (Inbucket's role for `supabase start`): the mails auth would have sent.
    if (url.pathname === MAILBOX_PATH || url.pathname.startsWith(`${MAILBOX_PATH}/`)) {
      if (!(await drainBody(req))) res.setHeader("connection", "close");
      await serveMailbox(ctx.adminPool, req, res, url);
      return;
    }
    const match = modules.find(([prefix]) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
    if (!match) {
      if (!(await drainBody(req))) res.setHeader("connection", "close");
      sendJson(res, 404, {
        code: "404",
        message: `No route for ${url.pathname}`,
        details: null,
        hint: "The gateway serves /rest/v1, /auth/v1 and /realtime/v1",
      });
      return;
    }
    const [prefix, module] = match;
    const subpath = url.pathname.slice(prefix.length) || "/";
    await module.handle(req, res, subpath, url);
  };
  server.keepAliveTimeout = 65_000;
  // A request Node cannot parse (bad request line, header or chunking) still gets an answer in
  // PostgREST's shape before the socket is closed, instead of a reset.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    const body = JSON.stringify({
      code: "PGRST100",
      message: `Malformed HTTP request: ${err.code ?? err.message}`,
      details: null,
      hint: "Send a valid HTTP/1.1 request",
    });
    const answer = () => {
      clearTimeout(timer);
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      } else socket.destroy();
    };
    const timer = setTimeout(() => socket.destroy(), 10_000);
    // The request before the garbage is still being answered (e.g. a body sent without a length):
    // let that answer go out first, then refuse the rest.
    const pending = (socket as { _httpMessage?: http.ServerResponse })._httpMessage;
    if (pending && !pending.writableFinished) {
      pending.once("finish", answer);
      pending.once("close", answer);
      return;
    }
    answer();
  });

  server.on("upgrade", (req, socket: Duplex, head) => {
    let url: URL;
    try {
      url = parseRequestUrl(req.url, ctx.publicUrl);
    } catch {
      socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
      return;
    }
    if (url.pathname === "/realtime/v1/websocket" || url.pathname === "/realtime/v1/websocket/") {
      realtime.handleUpgrade(req, socket, head, url);
      return;
    }
    socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  return {
    url: ctx.publicUrl,
    reloadSchema: () => rest.reloadSchema(),
    close: async () => {
      await realtime.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rest.close();
      await auth.close();
    },
  };
}
