import type { TVsn } from "./create-channel-hub.ts";

/** A client message after decoding, whatever its framing. */
export interface TClientMessage {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

/**
 * Decodes a client frame: vsn 1.0.0 JSON objects, vsn 2.0.0 JSON arrays, and realtime-js 2.x
 * binary "user broadcast push" frames (kind 3): kind(1) join_ref_len(1) ref_len(1) topic_len(1)
 * event_len(1) meta_len(1) encoding(1), then join_ref, ref, topic, event, meta (JSON), payload
 * (JSON when encoding is 1, raw bytes when 0). Binary payloads come back as a Buffer.
 * Throws with a readable reason for anything else.
 */
export function decodePhoenixFrame(vsn: TVsn, data: Buffer, isBinary: boolean): TClientMessage {
  if (isBinary) return decodeUserBroadcastPush(data);
  const parsed: unknown = JSON.parse(data.toString("utf8"));
  if (Array.isArray(parsed)) {
    const [joinRef, ref, topic, event, payload] = parsed as unknown[];
    return normalise(joinRef, ref, topic, event, payload);
  }
  if (parsed && typeof parsed === "object") {
    const o = parsed as Record<string, unknown>;
    return normalise(o.join_ref, o.ref, o.topic, o.event, o.payload);
  }
  throw new Error(`expected a vsn ${vsn} Phoenix message`);
}

function normalise(joinRef: unknown, ref: unknown, topic: unknown, event: unknown, payload: unknown): TClientMessage {
  if (typeof topic !== "string" || typeof event !== "string") throw new Error("message without topic or event");
  return {
    joinRef: joinRef == null ? null : String(joinRef),
    ref: ref == null ? null : String(ref),
    topic,
    event,
    payload: payload && typeof payload === "object" && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {},
  };
}

function decodeUserBroadcastPush(data: Buffer): TClientMessage {
  if (data.length < 7 || data[0] !== 3) throw new Error(`unsupported binary frame kind ${data[0]}`);
  const [joinRefLen, refLen, topicLen, eventLen, metaLen, encoding] = [data[1], data[2], data[3], data[4], data[5], data[6]] as number[];
  let offset = 7;
  const take = (len: number | undefined) => {
    const part = data.subarray(offset, offset + (len ?? 0));
    offset += len ?? 0;
    return part;
  };
  const joinRef = take(joinRefLen).toString("utf8");
  const ref = take(refLen).toString("utf8");
  const topic = take(topicLen).toString("utf8");
  const event = take(eventLen).toString("utf8");
  const metaText = take(metaLen).toString("utf8");
  const body = data.subarray(offset);
  const meta = metaText ? (JSON.parse(metaText) as Record<string, unknown>) : {};
  const userPayload: unknown = encoding === 1 ? JSON.parse(body.toString("utf8") || "null") : Buffer.from(body);
  return {
    joinRef: joinRef || null,
    ref: ref || null,
    topic,
    event: "broadcast",
    payload: { ...meta, type: "broadcast", event, payload: userPayload },
  };
}
