import http from "node:http";
import type { Duplex } from "node:stream";
import { createAuthApi } from "../auth/create-auth-api.ts";
import { assertPortFree } from "../http/assert-port-free.ts";
import { corsHeaders, HttpError, sendJson } from "../http/http-helpers.ts";
import type { TGatewayContext, THttpModule } from "../http/module-context.ts";
import { createRealtimeServer } from "../realtime/create-realtime-server.ts";
import { createRestApi } from "../rest/create-rest-api.ts";

export interface TGatewayHandle {
  url: string;
  /** Re-reads the REST schema cache now (also happens on NOTIFY pgrst). */
  reloadSchema(): Promise<void>;
  close(): Promise<void>;
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
  ];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", ctx.publicUrl);
    const cors = corsHeaders(req);
    for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
    if (req.method === "OPTIONS") {
      res.writeHead(204).end();
      return;
    }
    const match = modules.find(([prefix]) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
    if (!match) {
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
    module.handle(req, res, subpath, url).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) {
        sendJson(res, err.status, err.body, err.headers);
        return;
      }
      ctx.log.error({ err, method: req.method, path: url.pathname }, "gateway request failed");
      sendJson(res, 500, {
        code: "PGRST000",
        message: "Internal gateway error",
        details: (err as Error)?.message ?? null,
        hint: "See the stack's log for the cause",
      });
    });
  });
  server.keepAliveTimeout = 65_000;

  server.on("upgrade", (req, socket: Duplex, head) => {
    const url = new URL(req.url ?? "/", ctx.publicUrl);
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
