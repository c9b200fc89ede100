import type { WebSocket } from "ws";
import type { TRequestIdentity } from "../db/with-claims.ts";
import type { TChangeFilter } from "./match-change-filter.ts";

/** Phoenix serializer version a socket asked for with `?vsn=`. */
export type TVsn = "1.0.0" | "2.0.0";

/** One WebSocket connection. */
export interface TSocketSession {
  id: string;
  ws: WebSocket;
  vsn: TVsn;
  /** Who the `apikey` query parameter says the socket is; channels fall back to it without access_token. */
  apikeyIdentity: TRequestIdentity;
  apikey: string;
  /** Joined channels by topic. */
  channels: Map<string, TChannel>;
}

/** One joined `realtime:<name>` channel of a socket. */
export interface TChannel {
  session: TSocketSession;
  /** Full topic, e.g. `realtime:room-1`. */
  topic: string;
  /** Topic without the `realtime:` prefix (what `system` messages call `channel`). */
  name: string;
  /** Broadcast and presence scope: private and public channels of the same name do not mix. */
  hubKey: string;
  joinRef: string | null;
  identity: TRequestIdentity;
  /** Role + claims as one string: subscribers with equal keys share one RLS check per change. */
  identityKey: string;
  accessToken: string | null;
  broadcastSelf: boolean;
  broadcastAck: boolean;
  presenceKey: string;
  presenceEnabled: boolean;
  isPrivate: boolean;
  /** What RLS on realtime.messages allows on a private channel (null on public channels). */
  policies: TChannelPolicies | null;
  subscriptions: TSubscription[];
  expiryTimer: NodeJS.Timeout | null;
  closed: boolean;
}

/**
 * Realtime Authorization of a private channel: read is checked at join (and again when the token
 * changes), write on the first send or track (null = not checked yet), as hosted does.
 */
export interface TChannelPolicies {
  broadcastRead: boolean;
  presenceRead: boolean;
  broadcastWrite: boolean | null;
  presenceWrite: boolean | null;
}

/** One postgres_changes binding of a channel. */
export interface TSubscription {
  /** The numeric id echoed in the join reply and sent in `ids`. */
  id: number;
  channel: TChannel;
  event: "*" | "INSERT" | "UPDATE" | "DELETE";
  schema: string;
  /** null = every published table of the schema. */
  table: string | null;
  filter: TChangeFilter | null;
}

/** A tracked presence: one channel's entry under a presence key. */
export interface TPresenceEntry {
  channel: TChannel;
  meta: Record<string, unknown> & { phx_ref: string };
}

/** Registry of channels, postgres_changes subscriptions and presences shared by all sockets. */
export interface TChannelHub {
  channelsOn(hubKey: string): Iterable<TChannel>;
  addChannel(channel: TChannel): void;
  removeChannel(channel: TChannel): void;
  /** Subscriptions that may want a change of schema.table (event and filter not yet checked). */
  subscriptionsFor(schema: string, table: string): TSubscription[];
  /** Presences of a topic by presence key. */
  presenceOf(hubKey: string): Map<string, TPresenceEntry[]>;
  subscriptionCount(): number;
}

/** Creates the in-memory registry the realtime server routes messages with. */
export function createChannelHub(): TChannelHub {
  const byTopic = new Map<string, Set<TChannel>>();
  const byTable = new Map<string, Set<TSubscription>>();
  const presence = new Map<string, Map<string, TPresenceEntry[]>>();
  let count = 0;
  const tableKey = (schema: string, table: string | null) => `${schema}\u0000${table ?? "*"}`;

  return {
    channelsOn: (hubKey) => byTopic.get(hubKey) ?? [],
    addChannel: (channel) => {
      const set = byTopic.get(channel.hubKey) ?? new Set<TChannel>();
      byTopic.set(channel.hubKey, set);
      set.add(channel);
      for (const sub of channel.subscriptions) {
        const key = tableKey(sub.schema, sub.table);
        const subs = byTable.get(key) ?? new Set<TSubscription>();
        byTable.set(key, subs);
        subs.add(sub);
        count += 1;
      }
    },
    removeChannel: (channel) => {
      const set = byTopic.get(channel.hubKey);
      set?.delete(channel);
      if (set && set.size === 0) {
        byTopic.delete(channel.hubKey);
        presence.delete(channel.hubKey);
      }
      for (const sub of channel.subscriptions) {
        const key = tableKey(sub.schema, sub.table);
        const subs = byTable.get(key);
        if (subs?.delete(sub)) count -= 1;
        if (subs && subs.size === 0) byTable.delete(key);
      }
    },
    subscriptionsFor: (schema, table) => {
      const out: TSubscription[] = [];
      for (const key of [tableKey(schema, table), tableKey(schema, null), tableKey("*", null)]) {
        const subs = byTable.get(key);
        if (subs) for (const sub of subs) out.push(sub);
      }
      return out;
    },
    presenceOf: (hubKey) => {
      const map = presence.get(hubKey) ?? new Map<string, TPresenceEntry[]>();
      presence.set(hubKey, map);
      return map;
    },
    subscriptionCount: () => count,
  };
}
