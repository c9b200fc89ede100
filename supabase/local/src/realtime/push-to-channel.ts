import type { TChannel, TSocketSession } from "./create-channel-hub.ts";
import { encodeFrame } from "./encode-phoenix-frame.ts";

/** Sends a frame if the socket is still open. */
export function sendToSession(session: TSocketSession, frame: string | Buffer): void {
  if (session.ws.readyState === session.ws.OPEN) session.ws.send(frame);
}

/** Pushes a server message to one channel (carrying its join_ref, as a Phoenix channel push does). */
export function pushToChannel(channel: TChannel, event: string, payload: unknown): void {
  sendToSession(channel.session, encodeFrame(channel.session.vsn, channel.joinRef, null, channel.topic, event, payload));
}

/** Pushes a `system` message: `{extension, status, message, channel}`. */
export function pushSystem(channel: TChannel, extension: "system" | "postgres_changes", status: "ok" | "error", message: string): void {
  pushToChannel(channel, "system", { extension, status, message, channel: channel.name });
}
