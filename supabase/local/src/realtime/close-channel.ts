import type { TChannel, TChannelHub } from "./create-channel-hub.ts";
import { pushToChannel } from "./push-to-channel.ts";
import { untrackPresence } from "./track-presence.ts";

/**
 * Takes a channel out of every registry (subscriptions, broadcast, presence with a leave diff) and,
 * with `notify`, sends the client `phx_close` so realtime-js reports the channel CLOSED.
 */
export function closeChannel(hub: TChannelHub, channel: TChannel, notify: boolean): void {
  if (channel.closed) return;
  untrackPresence(hub, channel);
  channel.closed = true;
  if (channel.expiryTimer) clearTimeout(channel.expiryTimer);
  channel.expiryTimer = null;
  hub.removeChannel(channel);
  if (channel.session.channels.get(channel.topic) === channel) channel.session.channels.delete(channel.topic);
  if (notify) pushToChannel(channel, "phx_close", {});
}
