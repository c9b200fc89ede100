import crypto from "node:crypto";
import type { TChannel, TChannelHub, TPresenceEntry } from "./create-channel-hub.ts";
import { encodeFrame } from "./encode-phoenix-frame.ts";
import { pushToChannel, sendToSession } from "./push-to-channel.ts";

type TPresenceMap = Record<string, { metas: Array<TPresenceEntry["meta"]> }>;

/** The `presence_state` of a topic: `{key: {metas: [...]}}`. */
export function presenceStateOf(hub: TChannelHub, hubKey: string): TPresenceMap {
  const state: TPresenceMap = {};
  for (const [key, entries] of hub.presenceOf(hubKey)) state[key] = { metas: entries.map((e) => e.meta) };
  return state;
}

/** Whether a channel may see presence: always on public channels, by its RLS read policy on private ones. */
export function canReadPresence(channel: TChannel): boolean {
  return !channel.isPrivate || channel.policies?.presenceRead === true;
}

/** Sends the topic's presence state to one channel (after join, or when a track enables presence). */
export function pushPresenceState(hub: TChannelHub, channel: TChannel): void {
  if (!canReadPresence(channel)) return;
  pushToChannel(channel, "presence_state", presenceStateOf(hub, channel.hubKey));
}

/**
 * Tracks (or updates) the channel's presence under its presence key and tells every channel of
 * the topic with a `presence_diff`. An update sends the old meta as a leave and the new one, with
 * `phx_ref_prev`, as a join — what Phoenix.Presence does.
 */
export function trackPresence(hub: TChannelHub, channel: TChannel, payload: unknown): void {
  const entries = hub.presenceOf(channel.hubKey);
  const list = entries.get(channel.presenceKey) ?? [];
  const existing = list.find((e) => e.channel === channel);
  const userMeta = payload && typeof payload === "object" && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  const meta: TPresenceEntry["meta"] = { ...userMeta, phx_ref: newRef() };
  const leaves: TPresenceMap = {};
  if (existing) {
    meta.phx_ref_prev = existing.meta.phx_ref;
    leaves[channel.presenceKey] = { metas: [existing.meta] };
    existing.meta = meta;
  } else {
    list.push({ channel, meta });
    entries.set(channel.presenceKey, list);
  }
  broadcastDiff(hub, channel.hubKey, { [channel.presenceKey]: { metas: [meta] } }, leaves);
}

/** Removes the channel's presence (untrack, leave, socket close); no-op when it tracked nothing. */
export function untrackPresence(hub: TChannelHub, channel: TChannel): void {
  const entries = hub.presenceOf(channel.hubKey);
  const list = entries.get(channel.presenceKey);
  const index = list?.findIndex((e) => e.channel === channel) ?? -1;
  if (!list || index < 0) return;
  const [removed] = list.splice(index, 1);
  if (list.length === 0) entries.delete(channel.presenceKey);
  if (removed) broadcastDiff(hub, channel.hubKey, {}, { [channel.presenceKey]: { metas: [removed.meta] } });
}

function broadcastDiff(hub: TChannelHub, hubKey: string, joins: TPresenceMap, leaves: TPresenceMap): void {
  const payload = { joins, leaves };
  const frames = new Map<string, string>();
  for (const target of hub.channelsOn(hubKey)) {
    if (target.closed || !canReadPresence(target)) continue;
    const vsn = target.session.vsn;
    let frame = frames.get(vsn);
    if (!frame) {
      frame = encodeFrame(vsn, null, null, target.topic, "presence_diff", payload);
      frames.set(vsn, frame);
    }
    sendToSession(target.session, frame);
  }
}

function newRef(): string {
  return crypto.randomBytes(9).toString("base64url");
}
