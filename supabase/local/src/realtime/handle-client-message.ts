import type pg from "pg";
import type { Logger } from "pino";
import type { TJwtKeys } from "../keys/jwt-keys.ts";
import { canWriteToChannel } from "./check-channel-policies.ts";
import { closeChannel } from "./close-channel.ts";
import type { TChannelHub, TSocketSession } from "./create-channel-hub.ts";
import type { TClientMessage } from "./decode-phoenix-frame.ts";
import { encodeReply } from "./encode-phoenix-frame.ts";
import { joinChannel } from "./join-channel.ts";
import { sendToSession } from "./push-to-channel.ts";
import { relayBroadcast } from "./relay-broadcast.ts";
import { pushPresenceState, trackPresence, untrackPresence } from "./track-presence.ts";
import { updateChannelToken } from "./update-channel-token.ts";

/** What handling client messages needs from the server. */
export interface TClientMessageDeps {
  hub: TChannelHub;
  keys: TJwtKeys;
  adminPool: pg.Pool;
  publication: string;
  log: Logger;
}

/** Routes one decoded client message: heartbeat, join, leave, broadcast, presence, access_token. */
export async function handleClientMessage(deps: TClientMessageDeps, session: TSocketSession, msg: TClientMessage): Promise<void> {
  const reply = (status: "ok" | "error", response: unknown) =>
    sendToSession(session, encodeReply(session.vsn, msg.joinRef, msg.ref, msg.topic, status, response));

  if (msg.topic === "phoenix") {
    if (msg.event === "heartbeat") reply("ok", {});
    return;
  }
  if (msg.event === "phx_join") {
    await joinChannel(deps, session, msg);
    return;
  }
  const channel = session.channels.get(msg.topic);
  if (!channel || channel.closed) {
    reply("error", { reason: "unmatched topic" });
    return;
  }
  switch (msg.event) {
    case "phx_leave":
      reply("ok", {});
      closeChannel(deps.hub, channel, true);
      return;
    case "broadcast":
      // A private channel without an INSERT policy for broadcast drops the message unanswered, as hosted.
      if (!(await canWriteToChannel(deps.adminPool, channel, "broadcast", policyError(deps, msg)))) return;
      relayBroadcast(deps.hub, channel, msg.payload);
      if (channel.broadcastAck) reply("ok", {});
      return;
    case "presence": {
      const event = msg.payload.event;
      if (event === "track") {
        const payload = msg.payload.payload ?? {};
        if (typeof payload !== "object" || Array.isArray(payload)) {
          reply("error", { reason: "Presence track payload must be a map" });
          return;
        }
        if (!(await canWriteToChannel(deps.adminPool, channel, "presence", policyError(deps, msg)))) {
          reply("error", {});
          return;
        }
        const enabling = !channel.presenceEnabled;
        channel.presenceEnabled = true;
        trackPresence(deps.hub, channel, payload);
        reply("ok", {});
        if (enabling) pushPresenceState(deps.hub, channel);
      } else if (event === "untrack") {
        untrackPresence(deps.hub, channel);
        reply("ok", {});
      } else {
        reply("error", { reason: "presence event must be track or untrack" });
      }
      return;
    }
    case "access_token":
      await updateChannelToken(deps.hub, deps.keys, channel, msg.payload.access_token, deps.adminPool, deps.log);
      return;
    default:
      deps.log.debug({ topic: msg.topic, event: msg.event }, "realtime ignored an unexpected client message");
  }
}

function policyError(deps: TClientMessageDeps, msg: TClientMessage): (err: unknown) => void {
  return (err) => deps.log.warn({ err, topic: msg.topic }, "realtime could not check the write policy of a private channel; refused");
}
