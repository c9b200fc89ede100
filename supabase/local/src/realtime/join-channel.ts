import crypto from "node:crypto";
import type pg from "pg";
import type { Logger } from "pino";
import type { TRequestIdentity } from "../db/with-claims.ts";
import type { TJwtKeys } from "../keys/jwt-keys.ts";
import { checkReadPolicies } from "./check-channel-policies.ts";
import { closeChannel } from "./close-channel.ts";
import type { TChannel, TChannelHub, TChannelPolicies, TSocketSession } from "./create-channel-hub.ts";
import type { TClientMessage } from "./decode-phoenix-frame.ts";
import { encodeReply } from "./encode-phoenix-frame.ts";
import { pushSystem, sendToSession } from "./push-to-channel.ts";
import { resolvePostgresBindings } from "./resolve-postgres-bindings.ts";
import { pushPresenceState } from "./track-presence.ts";
import { armTokenExpiry, identityKeyOf } from "./update-channel-token.ts";
import { verifyChannelToken } from "./verify-channel-token.ts";

/** What joining a channel needs from the server. */
export interface TJoinDeps {
  log: Logger;
  hub: TChannelHub;
  keys: TJwtKeys;
  adminPool: pg.Pool;
  publication: string;
}

/**
 * Handles `phx_join` on `realtime:<name>`: picks the identity (join `access_token`, else the
 * socket's apikey), validates postgres_changes bindings, registers the channel, replies
 * `{postgres_changes: [...with ids]}`, then sends the postgres_changes `system` status and, with
 * presence enabled, the `presence_state`. Bindings are registered before the reply, so a change
 * committed after the client sees SUBSCRIBED is delivered.
 */
export async function joinChannel(deps: TJoinDeps, session: TSocketSession, msg: TClientMessage): Promise<void> {
  const reply = (status: "ok" | "error", response: unknown) =>
    sendToSession(session, encodeReply(session.vsn, msg.joinRef, msg.ref, msg.topic, status, response));
  if (!msg.topic.startsWith("realtime:") || msg.topic === "realtime:") {
    reply("error", { reason: "TopicNameRequired: You must provide a topic name" });
    return;
  }
  const name = msg.topic.slice("realtime:".length);
  const config = asRecord(msg.payload.config);
  const broadcast = asRecord(config.broadcast);
  const presence = asRecord(config.presence);
  const isPrivate = config.private === true;

  const token = msg.payload.access_token ?? msg.payload.user_token;
  let identity: TRequestIdentity = session.apikeyIdentity;
  let accessToken: string | null = null;
  let exp: number | null = typeof identity.claims.exp === "number" ? identity.claims.exp : null;
  if (typeof token === "string" && token !== "" && !token.startsWith("sb_")) {
    const check = await verifyChannelToken(deps.keys, token);
    if (!check.ok) {
      reply("error", { reason: `${check.code}: ${check.message}` });
      return;
    }
    identity = check.identity;
    accessToken = token;
    exp = check.exp;
  }
  let policies: TChannelPolicies | null = null;
  if (isPrivate) {
    // Realtime Authorization: RLS on realtime.messages decides, for every role (service_role bypasses RLS).
    let read: Awaited<ReturnType<typeof checkReadPolicies>>;
    try {
      read = await checkReadPolicies(deps.adminPool, identity, name);
    } catch (err) {
      deps.log.warn({ err, topic: msg.topic }, "realtime could not check the read policies of a private channel");
      reply("error", { reason: "UnableToConnectToProject: Realtime was unable to connect to the project database" });
      return;
    }
    if (!read.broadcast && !read.presence) {
      reply("error", { reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${name}` });
      return;
    }
    policies = { broadcastRead: read.broadcast, presenceRead: read.presence, broadcastWrite: null, presenceWrite: null };
  }

  const rawBindings = Array.isArray(config.postgres_changes) ? (config.postgres_changes as unknown[]) : [];
  let bindings: Awaited<ReturnType<typeof resolvePostgresBindings>>;
  try {
    bindings = await resolvePostgresBindings(deps.adminPool, deps.publication, identity.role, rawBindings);
  } catch (err) {
    deps.log.warn({ err, topic: msg.topic }, "realtime could not read the publication for a join");
    reply("error", { reason: "UnableToConnectToProject: Realtime was unable to connect to the project database" });
    return;
  }
  if (session.ws.readyState !== session.ws.OPEN) return;

  const previous = session.channels.get(msg.topic);
  if (previous) closeChannel(deps.hub, previous, true);

  const presenceKey = typeof presence.key === "string" && presence.key !== "" ? presence.key : crypto.randomUUID();
  const channel: TChannel = {
    session,
    topic: msg.topic,
    name,
    hubKey: isPrivate ? `private:${msg.topic}` : msg.topic,
    joinRef: msg.joinRef ?? msg.ref,
    identity,
    identityKey: identityKeyOf(identity.role, identity.claims),
    accessToken,
    broadcastSelf: broadcast.self === true,
    broadcastAck: broadcast.ack === true,
    presenceKey,
    presenceEnabled: presence.enabled === true,
    isPrivate,
    policies,
    subscriptions: [],
    expiryTimer: null,
    closed: false,
  };
  if (!bindings.error) {
    channel.subscriptions = bindings.specs.map((spec) => ({ ...spec, channel }));
  }
  session.channels.set(msg.topic, channel);
  deps.hub.addChannel(channel);
  armTokenExpiry(deps.hub, channel, exp);

  reply("ok", { postgres_changes: bindings.reply });
  if (bindings.reply.length > 0) {
    if (bindings.error) pushSystem(channel, "postgres_changes", "error", bindings.error);
    else pushSystem(channel, "postgres_changes", "ok", "Subscribed to PostgreSQL");
  }
  if (channel.presenceEnabled) pushPresenceState(deps.hub, channel);
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
