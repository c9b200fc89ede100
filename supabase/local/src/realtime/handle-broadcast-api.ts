import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { Logger } from "pino";
import type { TRequestIdentity } from "../db/with-claims.ts";
import { bearerToken, HttpError, MAX_BODY_BYTES, readJsonBody } from "../http/http-helpers.ts";
import { JwtError, type TJwtKeys } from "../keys/jwt-keys.ts";
import { checkWritePolicy } from "./check-channel-policies.ts";
import type { TChannelHub } from "./create-channel-hub.ts";
import { broadcastToTopic, hubKeyOf } from "./relay-broadcast.ts";

/** What the HTTP broadcast endpoints need. */
export interface TBroadcastApiDeps {
  hub: TChannelHub;
  keys: TJwtKeys;
  adminPool: pg.Pool;
  log: Logger;
}

/** One message of `POST /api/broadcast`, as hosted's BatchBroadcast casts it. */
interface TBatchMessage {
  topic: string;
  event: string;
  payload: Record<string, unknown>;
  private: boolean;
  id?: string;
}

const SINGLE_ROUTE = /^\/api\/broadcast\/([^/]+)\/events\/([^/]+)\/?$/;

/**
 * Hosted Realtime's REST broadcast, under /realtime/v1:
 * - `POST /api/broadcast` `{messages: [{topic, event, payload, private?}]}` (supabase-js `send()`
 *   on a channel that is not joined): 202; a private message goes out only if the caller's INSERT
 *   policy on realtime.messages allows the topic, otherwise it is dropped silently, as hosted.
 * - `POST /api/broadcast/:topic/events/:event[?private=true]` with a JSON or binary body
 *   (supabase-js `httpSend()`): 202, or 403 `{message:"Unauthorized"}` on a private topic the
 *   caller may not write to.
 * The caller is the JWT in Authorization (else the apikey). Topics are channel names without `realtime:`.
 */
export async function handleBroadcastApi(deps: TBroadcastApiDeps, req: IncomingMessage, res: ServerResponse, subpath: string, url: URL) {
  const single = SINGLE_ROUTE.exec(subpath);
  if (subpath !== "/api/broadcast" && subpath !== "/api/broadcast/" && !single) {
    throw new HttpError(404, {
      message: `No route for /realtime/v1${subpath}`,
      hint: "Realtime serves the websocket at /realtime/v1/websocket and broadcasts at POST /realtime/v1/api/broadcast",
    });
  }
  if (req.method !== "POST") {
    throw new HttpError(405, { message: `${req.method} is not allowed here: send POST` }, { allow: "POST" });
  }
  const identity = await callerOf(deps.keys, req);
  if (single) {
    const topic = decodeURIComponent(single[1] as string);
    const event = decodeURIComponent(single[2] as string);
    const payload = await readSinglePayload(req);
    const isPrivate = url.searchParams.get("private") === "true";
    if (isPrivate && !(await mayWrite(deps, identity, topic))) throw new HttpError(403, { message: "Unauthorized" });
    broadcastToTopic(deps.hub, hubKeyOf({ topic, isPrivate }), event, payload);
    res.writeHead(202, { "content-length": "0" }).end();
    return;
  }

  const messages = validateBatch(await readJsonBody(req));
  const allowed = new Map<string, boolean>();
  for (const message of messages) {
    if (message.private) {
      let ok = allowed.get(message.topic);
      if (ok === undefined) {
        ok = await mayWrite(deps, identity, message.topic);
        allowed.set(message.topic, ok);
      }
      if (!ok) continue;
    }
    broadcastToTopic(
      deps.hub,
      hubKeyOf({ topic: message.topic, isPrivate: message.private }),
      message.event,
      message.payload,
      message.id ? { meta: { id: message.id } } : {},
    );
  }
  res.writeHead(202, { "content-length": "0" }).end();
}

async function callerOf(keys: TJwtKeys, req: IncomingMessage): Promise<TRequestIdentity> {
  const token = bearerToken(req);
  if (!token) {
    throw new HttpError(401, {
      message: "No API key found in request: send the anon key in the apikey header and the user's JWT as Bearer",
    });
  }
  try {
    const claims = await keys.verify(token);
    return { role: claims.role, claims };
  } catch (err) {
    if (err instanceof JwtError)
      throw new HttpError(401, { message: `Invalid JWT: ${err.reason}. Sign in again or use this stack's keys.` });
    throw err;
  }
}

async function mayWrite(deps: TBroadcastApiDeps, identity: TRequestIdentity, topic: string): Promise<boolean> {
  try {
    return await checkWritePolicy(deps.adminPool, identity, topic, "broadcast");
  } catch (err) {
    deps.log.warn({ err, topic }, "realtime could not check the write policy of a private topic; the broadcast is refused");
    return false;
  }
}

/** The single endpoint's body: binary with application/octet-stream, else a JSON object. */
async function readSinglePayload(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("application/octet-stream")) return readBinaryBody(req);
  if (type !== "" && !type.startsWith("application/json")) {
    throw new HttpError(415, { message: `Unsupported content-type ${type}: send application/json or application/octet-stream` });
  }
  const body = await readJsonBody(req);
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(422, { message: "The payload must be a JSON object (or binary with content-type application/octet-stream)" });
  }
  return body;
}

async function readBinaryBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new HttpError(413, { message: `The payload is larger than ${MAX_BODY_BYTES} bytes` });
  return Buffer.concat(chunks);
}

/**
 * Checks `{messages: [...]}` like hosted's changeset: topic, event and payload required, payload a
 * map, private a boolean. Errors come back as 422 `{errors: {messages: [{field: [reason]}]}}`.
 */
function validateBatch(body: unknown): TBatchMessage[] {
  const list = body && typeof body === "object" && !Array.isArray(body) ? (body as { messages?: unknown }).messages : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new HttpError(422, {
      message: 'Send {"messages": [{"topic", "event", "payload", "private"?}]} with at least one message',
      errors: { messages: ["can't be blank"] },
    });
  }
  const errors: Array<Record<string, string[]>> = [];
  const messages: TBatchMessage[] = [];
  for (const raw of list) {
    const item = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const fieldErrors: Record<string, string[]> = {};
    for (const field of ["topic", "event"] as const) {
      if (typeof item[field] !== "string" || item[field] === "") fieldErrors[field] = ["can't be blank"];
    }
    if (item.payload === undefined || item.payload === null) fieldErrors.payload = ["can't be blank"];
    else if (typeof item.payload !== "object" || Array.isArray(item.payload)) fieldErrors.payload = ["is invalid"];
    if (item.private !== undefined && item.private !== null && typeof item.private !== "boolean") fieldErrors.private = ["is invalid"];
    errors.push(fieldErrors);
    messages.push({
      topic: item.topic as string,
      event: item.event as string,
      payload: item.payload as Record<string, unknown>,
      private: item.private === true,
      ...(typeof item.id === "string" ? { id: item.id } : {}),
    });
  }
  if (errors.some((e) => Object.keys(e).length > 0)) {
    throw new HttpError(422, {
      message: "Some messages are invalid: each needs a topic, an event and a payload object",
      errors: { messages: errors },
    });
  }
  return messages;
}
