import type { TChannel, TChannelHub } from "./create-channel-hub.ts";
import { encodeUserBroadcast } from "./encode-phoenix-frame.ts";
import { sendToSession } from "./push-to-channel.ts";

/**
 * Relays a client broadcast (`{type:"broadcast", event, payload}`) to every channel of the same
 * topic, and back to the sender only with `config.broadcast.self`.
 */
export function relayBroadcast(hub: TChannelHub, from: TChannel, payload: Record<string, unknown>): void {
  const event = typeof payload.event === "string" ? payload.event : "";
  const frames = new Map<string, string | Buffer | null>();
  for (const target of hub.channelsOn(from.hubKey)) {
    if (target.closed || (target === from && !from.broadcastSelf)) continue;
    const vsn = target.session.vsn;
    let frame = frames.get(vsn);
    if (frame === undefined) {
      frame = encodeUserBroadcast(vsn, target.topic, event, payload.payload);
      frames.set(vsn, frame);
    }
    if (frame !== null) sendToSession(target.session, frame);
  }
}
