import type { TChannel, TChannelHub } from "./create-channel-hub.ts";
import { encodeUserBroadcast } from "./encode-phoenix-frame.ts";
import { sendToSession } from "./push-to-channel.ts";

/** Where a broadcast goes: the topic without `realtime:`, and whether it is the private channel of that name. */
export interface TBroadcastTarget {
  topic: string;
  isPrivate: boolean;
}

/** The hub key of a channel name: private and public channels of the same name never mix. */
export function hubKeyOf(target: TBroadcastTarget): string {
  return target.isPrivate ? `private:realtime:${target.topic}` : `realtime:${target.topic}`;
}

/**
 * Sends a broadcast to every channel joined to the topic. On a private topic only channels whose
 * RLS read policy allowed broadcast receive it. `from` (a client's own channel) gets it back only
 * with `config.broadcast.self`. Used for client broadcasts, the HTTP broadcast API and messages
 * inserted into realtime.messages.
 */
export function broadcastToTopic(
  hub: TChannelHub,
  hubKey: string,
  event: string,
  payload: unknown,
  options: { from?: TChannel; meta?: Record<string, unknown> } = {},
): void {
  const frames = new Map<string, string | Buffer | null>();
  for (const target of hub.channelsOn(hubKey)) {
    if (target.closed || (target === options.from && !target.broadcastSelf)) continue;
    if (target.isPrivate && target.policies?.broadcastRead !== true) continue;
    const vsn = target.session.vsn;
    // Frames carry the topic, which is the same for every channel of a hub key.
    let frame = frames.get(vsn);
    if (frame === undefined) {
      frame = encodeUserBroadcast(vsn, target.topic, event, payload, options.meta ?? null);
      frames.set(vsn, frame);
    }
    if (frame !== null) sendToSession(target.session, frame);
  }
}

/** Relays a client broadcast (`{type:"broadcast", event, payload}`) from one of its channels. */
export function relayBroadcast(hub: TChannelHub, from: TChannel, payload: Record<string, unknown>): void {
  const event = typeof payload.event === "string" ? payload.event : "";
  broadcastToTopic(hub, from.hubKey, event, payload.payload, { from });
}
