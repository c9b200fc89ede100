import type { TVsn } from "./create-channel-hub.ts";

/**
 * Phoenix frame encoders. vsn 2.0.0 text frames are `[join_ref, ref, topic, event, payload]`,
 * vsn 1.0.0 frames are objects. User broadcasts to 2.0.0 sockets go out as binary frames of
 * kind 4 ("user broadcast"), the layout realtime-js decodes:
 * kind(1) topic_len(1) event_len(1) meta_len(1) encoding(1) topic event meta payload,
 * with encoding 0 = binary payload, 1 = JSON payload.
 */

/** Encodes a message whose payload is already JSON text (avoids re-serialising shared payloads). */
export function encodeRawFrame(
  vsn: TVsn,
  joinRef: string | null,
  ref: string | null,
  topic: string,
  event: string,
  payloadJson: string,
): string {
  if (vsn === "2.0.0") {
    return `[${JSON.stringify(joinRef)},${JSON.stringify(ref)},${JSON.stringify(topic)},${JSON.stringify(event)},${payloadJson}]`;
  }
  return `{"topic":${JSON.stringify(topic)},"event":${JSON.stringify(event)},"payload":${payloadJson},"ref":${JSON.stringify(ref)},"join_ref":${JSON.stringify(joinRef)}}`;
}

/** Encodes a message. */
export function encodeFrame(vsn: TVsn, joinRef: string | null, ref: string | null, topic: string, event: string, payload: unknown): string {
  return encodeRawFrame(vsn, joinRef, ref, topic, event, JSON.stringify(payload));
}

/** A `phx_reply` to a client push. */
export function encodeReply(
  vsn: TVsn,
  joinRef: string | null,
  ref: string | null,
  topic: string,
  status: "ok" | "error",
  response: unknown,
): string {
  return encodeFrame(vsn, joinRef, ref, topic, "phx_reply", { status, response });
}

/**
 * A user broadcast for one socket: a kind-4 binary frame for vsn 2.0.0, a JSON message for 1.0.0
 * (returns null when a 1.0.0 socket cannot represent a binary payload, as hosted drops it).
 * `meta` (e.g. `{id}` of a message sent from the database) reaches the client as `payload.meta`.
 */
export function encodeUserBroadcast(
  vsn: TVsn,
  topic: string,
  event: string,
  payload: Buffer | unknown,
  meta: Record<string, unknown> | null = null,
): string | Buffer | null {
  const binary = Buffer.isBuffer(payload);
  if (vsn === "2.0.0") {
    const topicBytes = Buffer.from(topic, "utf8");
    const eventBytes = Buffer.from(event, "utf8");
    const metaBytes = meta ? Buffer.from(JSON.stringify(meta), "utf8") : Buffer.alloc(0);
    if (topicBytes.length <= 255 && eventBytes.length <= 255 && metaBytes.length <= 255) {
      const body = binary ? payload : Buffer.from(JSON.stringify(payload ?? {}), "utf8");
      const header = Buffer.from([4, topicBytes.length, eventBytes.length, metaBytes.length, binary ? 0 : 1]);
      return Buffer.concat([header, topicBytes, eventBytes, metaBytes, body]);
    }
  }
  if (binary) return null;
  return encodeFrame(vsn, null, null, topic, "broadcast", { type: "broadcast", event, payload, ...(meta ? { meta } : {}) });
}
