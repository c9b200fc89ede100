import type pg from "pg";
import type { Logger } from "pino";
import { buildChangeData, filterTuple, lacksPrimaryKey, type TRowChange } from "./build-change-data.ts";
import { checkRowVisibility } from "./check-row-visibility.ts";
import type { TChannel, TChannelHub } from "./create-channel-hub.ts";
import { encodeRawFrame } from "./encode-phoenix-frame.ts";
import type { TApiRole } from "./load-relation-info.ts";
import { matchesChangeFilter } from "./match-change-filter.ts";

/** What dispatching a change needs. */
export interface TDispatchDeps {
  hub: TChannelHub;
  apiPool: pg.Pool;
  log: Logger;
  /** Resolves once the change's transaction is visible to new snapshots (needed before RLS checks). */
  awaitVisible(): Promise<void>;
}

/**
 * Sends one row change to every channel with a matching postgres_changes binding: event, filter,
 * SELECT privilege, and for INSERT/UPDATE on RLS tables the subscriber's own RLS (one check per
 * distinct role+claims). DELETE on RLS tables goes to every matching subscriber with only the
 * primary key, as hosted. Returns a promise only when RLS checks are needed.
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
  if (!needsRls) {
    send(targets, change, null);
    return undefined;
  }
  const checkers = new Map<string, TChannel>();
  for (const channel of targets.keys()) {
    if (channel.identity.role !== "service_role" && !checkers.has(channel.identityKey)) checkers.set(channel.identityKey, channel);
  }
  if (checkers.size === 0) {
    send(targets, change, null);
    return undefined;
  }
  const newTuple = change.newTuple as NonNullable<typeof change.newTuple>;
  const keys = [...checkers.keys()];
  return deps
    .awaitVisible()
    .catch((err: unknown) => deps.log.warn({ err }, "realtime could not confirm the transaction is visible; checking RLS anyway"))
    .then(() =>
      checkRowVisibility(
        deps.apiPool,
        [...checkers.values()].map((c) => c.identity),
        info,
        newTuple,
      ),
    )
    .catch((err: unknown) => {
      deps.log.warn({ err, table: info.qualified }, "realtime RLS check failed; the change was not sent to RLS-checked subscribers");
      return keys.map(() => false);
    })
    .then((results) => {
      const visible = new Map(keys.map((k, i) => [k, results[i] === true]));
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
