import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { REALTIME_PUBLICATION } from "@mission-control/shared/realtime";
import { WebSocketServer } from "ws";
import type { TGatewayContext, THttpModule } from "../http/module-context.ts";
import { closeChannel } from "./close-channel.ts";
import { createChannelHub, type TSocketSession, type TVsn } from "./create-channel-hub.ts";
import { decodePhoenixFrame } from "./decode-phoenix-frame.ts";
import { handleBroadcastApi } from "./handle-broadcast-api.ts";
import { handleClientMessage } from "./handle-client-message.ts";
import { createReplicationProcessor } from "./process-replication-message.ts";
import { startReplicationStream } from "./start-replication-stream.ts";

/** The realtime module as the gateway uses it: the websocket upgrade, and HTTP below /realtime/v1 (the broadcast API). */
export interface TRealtimeServer extends THttpModule {
  /** Takes over an HTTP upgrade of `/realtime/v1/websocket` (refuses it with 403 when the apikey does not verify). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
  /** Stops replication (the temporary slot goes with it) and closes every socket. */
  close(): Promise<void>;
}

const VERSIONS: readonly TVsn[] = ["1.0.0", "2.0.0"];
/** realtime.messages' publication (bootstrap.sql; hosted's name): broadcasts sent from the database. */
const MESSAGES_PUBLICATION = "supabase_realtime_messages_publication";
const MAX_FRAME_BYTES = 3 * 1024 * 1024;

/**
 * Realtime-compatible `/realtime/v1/websocket`: Phoenix channels (vsn 1.0.0 and 2.0.0) with
 * postgres_changes from one logical replication stream, broadcast and presence. The stream is
 * running when this resolves, so every change committed after the gateway starts is seen.
 */
export async function createRealtimeServer(ctx: TGatewayContext): Promise<TRealtimeServer> {
  const log = ctx.log.child({ module: "realtime" });
  const hub = createChannelHub();
  const sessions = new Set<TSocketSession>();
  const processor = createReplicationProcessor({ hub, adminPool: ctx.adminPool, apiPool: ctx.realtimePool, log });
  const stream = await startReplicationStream({
    databaseUrl: ctx.databaseUrl,
    adminPool: ctx.adminPool,
    publications: [REALTIME_PUBLICATION, MESSAGES_PUBLICATION],
    log,
    onMessage: processor.onMessage,
    onRestart: processor.reset,
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });
  const deps = { hub, keys: ctx.keys, adminPool: ctx.adminPool, publication: REALTIME_PUBLICATION, log };
  let closing = false;

  const refuse = (socket: Duplex, status: string, message: string) => {
    const body = JSON.stringify({ message });
    socket.end(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  };

  const accept = (req: IncomingMessage, socket: Duplex, head: Buffer, session: Omit<TSocketSession, "ws">) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const live: TSocketSession = { ...session, ws };
      sessions.add(live);
      let tail: Promise<void> = Promise.resolve();
      ws.on("message", (data, isBinary) => {
        let msg: ReturnType<typeof decodePhoenixFrame>;
        try {
          msg = decodePhoenixFrame(live.vsn, Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer), isBinary);
        } catch (err) {
          log.debug({ err }, "realtime ignored a frame it could not decode");
          return;
        }
        tail = tail
          .then(() => handleClientMessage(deps, live, msg))
          .catch((err: unknown) => log.error({ err, topic: msg.topic, event: msg.event }, "realtime failed to handle a client message"));
      });
      ws.on("close", () => {
        sessions.delete(live);
        for (const channel of [...live.channels.values()]) closeChannel(hub, channel, false);
      });
      ws.on("error", (err) => log.debug({ err }, "realtime socket error"));
    });
  };

  return {
    handle: (req, res, subpath, url) => handleBroadcastApi({ hub, keys: ctx.keys, adminPool: ctx.adminPool, log }, req, res, subpath, url),
    handleUpgrade: (req, socket, head, url) => {
      if (closing) {
        refuse(socket, "503 Service Unavailable", "Realtime is restarting, please standby");
        return;
      }
      const vsn = (url.searchParams.get("vsn") ?? "1.0.0") as TVsn;
      if (!VERSIONS.includes(vsn)) {
        refuse(socket, "400 Bad Request", `Unsupported vsn ${vsn}: use 1.0.0 or 2.0.0`);
        return;
      }
      const header = req.headers.apikey;
      const apikey = url.searchParams.get("apikey") ?? (typeof header === "string" ? header : null);
      if (!apikey) {
        refuse(socket, "403 Forbidden", "No apikey given: connect with ?apikey=<anon key> (supabase-js does this for you)");
        return;
      }
      ctx.keys.verify(apikey).then(
        (claims) => {
          if (socket.destroyed) return;
          if (closing) {
            refuse(socket, "503 Service Unavailable", "Realtime is restarting, please standby");
            return;
          }
          accept(req, socket, head, {
            id: Math.random().toString(36).slice(2),
            vsn,
            apikey,
            apikeyIdentity: { role: claims.role, claims },
            channels: new Map(),
          });
        },
        (err: unknown) =>
          refuse(socket, "403 Forbidden", `Invalid apikey: ${(err as Error).message}. Use this stack's anon or service role key.`),
      );
    },
    close: async () => {
      if (closing) return;
      closing = true;
      await stream.close();
      const closed = [...sessions].map(
        (s) =>
          new Promise<void>((resolve) => {
            s.ws.once("close", () => resolve());
            s.ws.close(1001, "server shutting down");
            setTimeout(() => {
              s.ws.terminate();
              resolve();
            }, 500).unref();
          }),
      );
      await Promise.all(closed);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
