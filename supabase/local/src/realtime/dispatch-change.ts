import type { Logger } from "pino";
import { buildChangeData, filterTuple, lacksPrimaryKey, type TRowChange } from "./build-change-data.ts";
import type { TChannel, TChannelHub } from "./create-channel-hub.ts";
import type { TCheckVisibility } from "./create-visibility-batcher.ts";
import { encodeRawFrame } from "./encode-phoenix-frame.ts";
import type { TApiRole } from "./load-relation-info.ts";
import { matchesChangeFilter } from "./match-change-filter.ts";

/** What dispatching a change needs. */
export interface TDispatchDeps {
  hub: TChannelHub;
  log: Logger;
  /** Which identities may see the row (RLS, once its transaction is visible), checked together with the other changes of the moment. */
  checkVisibility: TCheckVisibility;
  /**
   * Delivers in WAL order: `deliver` runs once `visibility` (null: none needed) has resolved and
   * every earlier change was delivered. May answer a promise to hold the stream back (backpressure).
   */
  inOrder<T>(visibility: Promise<T> | null, deliver: (visible: T | null) => void): undefined | Promise<void>;
}

/**
 * Sends one row change to every channel with a matching postgres_changes binding: event, filter,
 * SELECT privilege, and for INSERT/UPDATE on RLS tables the subscriber's own RLS (one check per
 * distinct role+claims, batched with the other changes arriving together). DELETE on RLS tables
 * goes to every matching subscriber with only the primary key, as hosted. Changes reach each
 * channel in WAL order.
 */
export function dispatchChange(deps: TDispatchDeps, change: TRowChange): undefined | Promise<void> {
  const { info } = change;
  const subs = deps.hub.subscriptionsFor(info.schema, info.table);
  if (subs.length === 0) return undefined;
  const tuple = filterTuple(change);
  const noPk = lacksPrimaryKey(change);
  const targets = new Map<TChannel, number[]>();
  for (const sub of subs) {
    const channel = sub.channel;
    if (channel.closed) continue;
    if (sub.event !== "*" && sub.event !== change.type) continue;
    if (!info.readable[channel.identity.role]) continue;
    if (sub.filter && !noPk) {
      const position = info.positions.get(sub.filter.column);
      const column = position === undefined ? undefined : info.tupleColumns[position];
      if (!column || !tuple || position === undefined) continue;
      if (!matchesChangeFilter(sub.filter, tuple[position], column)) continue;
    }
    const ids = targets.get(channel);
    if (!ids) targets.set(channel, [sub.id]);
    else if (!ids.includes(sub.id)) ids.push(sub.id);
  }
  if (targets.size === 0) return undefined;

  const needsRls = info.rls && !noPk && change.type !== "DELETE" && change.newTuple !== null;
  const checkers = new Map<string, TChannel>();
  if (needsRls) {
    for (const channel of targets.keys()) {
      if (channel.identity.role !== "service_role" && !checkers.has(channel.identityKey)) checkers.set(channel.identityKey, channel);
    }
  }
  if (checkers.size === 0) return deps.inOrder(null, () => send(targets, change, null));
  const keys = [...checkers.keys()];
  const visibility = deps.checkVisibility(
    [...checkers.values()].map((c) => c.identity),
    keys,
    info,
    change.newTuple as NonNullable<typeof change.newTuple>,
    change.xid,
  );
  return deps.inOrder(visibility, (results) => {
    const visible = new Map(keys.map((k, i) => [k, results?.[i] === true]));
    send(targets, change, visible);
  });
}

function send(targets: Map<TChannel, number[]>, change: TRowChange, visible: Map<string, boolean> | null): void {
  const dataByRole = new Map<TApiRole, string>();
  for (const [channel, ids] of targets) {
    if (channel.closed) continue;
    const role = channel.identity.role;
    if (visible && role !== "service_role" && !visible.get(channel.identityKey)) continue;
    let data = dataByRole.get(role);
    if (data === undefined) {
      data = buildChangeData(change, role);
      dataByRole.set(role, data);
    }
    const session = channel.session;
    if (session.ws.readyState !== session.ws.OPEN) continue;
    const payload = `{"ids":${JSON.stringify(ids)},"data":${data}}`;
    session.ws.send(encodeRawFrame(session.vsn, null, null, channel.topic, "postgres_changes", payload));
  }
}
