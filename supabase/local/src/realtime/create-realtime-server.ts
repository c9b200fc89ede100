import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { TGatewayContext } from "../gateway/module-context.ts";

export interface TRealtimeServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
  close(): Promise<void>;
}

/** Realtime-compatible `/realtime/v1/websocket`. */
export async function createRealtimeServer(_ctx: TGatewayContext): Promise<TRealtimeServer> {
  return {
    handleUpgrade: (_req, socket) => {
      socket.destroy();
    },
    close: async () => {},
  };
}
