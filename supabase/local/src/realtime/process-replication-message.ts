import type pg from "pg";
import type { Logger } from "pino";
import type { TRowChange } from "./build-change-data.ts";
import type { TChannelHub } from "./create-channel-hub.ts";
import { createVisibilityBatcher } from "./create-visibility-batcher.ts";
import type { TPgoutputMessage, TRelationColumn } from "./decode-pgoutput-message.ts";
import { dispatchChange, type TDispatchDeps } from "./dispatch-change.ts";
import { loadRelationInfo, type TRelationInfo } from "./load-relation-info.ts";
import { isMessagesRelation, relayDatabaseBroadcast } from "./relay-database-broadcast.ts";

type TRelationMessage = Extract<TPgoutputMessage, { tag: "relation" }>;
type TRowMessage = Extract<TPgoutputMessage, { tag: "insert" | "update" | "delete" }>;

/** What turning replication messages into changes needs. */
export interface TReplicationProcessorDeps {
  hub: TChannelHub;
  adminPool: pg.Pool;
  apiPool: pg.Pool;
  log: Logger;
}

/** Turns pgoutput messages into dispatched row changes. */
export interface TReplicationProcessor {
  onMessage(message: TPgoutputMessage): undefined | Promise<void>;
  /** Forget relations: a new replication connection resends them. */
  reset(): void;
}

/** Catalog facts older than this are re-read in the background when the table changes again. */
const INFO_MAX_AGE_MS = 5_000;
/** Changes waiting for delivery before the stream is held back. */
const MAX_WAITING_CHANGES = 2_000;

/**
 * Keeps table metadata per relation (refreshed on each Relation message, which pgoutput resends
 * after DDL, GRANT or RLS changes) and turns Insert/Update/Delete messages into changes for
 * {@link dispatchChange}. RLS checks run in batches while later changes are read; deliveries keep WAL
 * order. Only a catalog read, or too many changes waiting, returns a promise (the stream waits).
 */
export function createReplicationProcessor(deps: TReplicationProcessorDeps): TReplicationProcessor {
  const relations = new Map<number, { message: TRelationMessage; info: TRelationInfo | null; refreshing: boolean }>();
  /** realtime.messages by relation id: its inserts are relayed as broadcasts. */
  const messagesRelations = new Map<number, TRelationColumn[]>();
  let commitTimestamp = new Date().toISOString();
  let xid = 0;
  // Deliveries still waiting (for their RLS check or an earlier change's), chained in WAL order.
  let tail: Promise<void> | null = null;
  let waiting = 0;
  const inOrder = <T>(visibility: Promise<T> | null, deliver: (visible: T | null) => void): undefined | Promise<void> => {
    if (tail === null && visibility === null) {
      deliver(null);
      return undefined;
    }
    waiting += 1;
    const mine: Promise<void> = Promise.all([tail, visibility])
      .then(([, visible]) => deliver(visible))
      .catch((err: unknown) => deps.log.error({ err }, "realtime could not deliver a change"))
      .then(() => {
        waiting -= 1;
        if (tail === mine) tail = null;
      });
    tail = mine;
    // Hold the replication stream back while too many changes wait.
    return waiting >= MAX_WAITING_CHANGES ? mine : undefined;
  };
  const dispatchDeps: TDispatchDeps = {
    hub: deps.hub,
    log: deps.log,
    checkVisibility: createVisibilityBatcher(deps.apiPool, deps.log),
    inOrder,
  };

  const load = async (message: TRelationMessage) => {
    const entry = relations.get(message.oid);
    try {
      const info = await loadRelationInfo(deps.adminPool, message);
      if (entry && entry.message === message) entry.info = info;
    } catch (err) {
      deps.log.warn({ err, table: `${message.schema}.${message.name}` }, "realtime could not read table metadata; its changes are skipped");
    } finally {
      if (entry) entry.refreshing = false;
    }
  };

  const toChange = (message: TRowMessage, info: TRelationInfo): TRowChange => {
    if (message.tag === "insert") {
      return { type: "INSERT", info, newTuple: message.newTuple, oldTuple: null, keyTuple: null, commitTimestamp, xid };
    }
    if (message.tag === "update") {
      return {
        type: "UPDATE",
        info,
        newTuple: message.newTuple,
        oldTuple: message.oldTuple,
        keyTuple: message.keyTuple,
        commitTimestamp,
        xid,
      };
    }
    return { type: "DELETE", info, newTuple: null, oldTuple: message.oldTuple, keyTuple: message.keyTuple, commitTimestamp, xid };
  };

  /** A row change of a published table: metadata first (cached per relation), then dispatch. */
  const onRowChange = (message: TRowMessage): undefined | Promise<void> => {
    const entry = relations.get(message.oid);
    if (!entry) return undefined;
    const info = entry.info;
    if (!info) {
      // The catalog read for this relation failed earlier: try again before giving up on the change.
      if (entry.refreshing) return undefined;
      entry.refreshing = true;
      return load(entry.message).then(() => (entry.info ? dispatchChange(dispatchDeps, toChange(message, entry.info)) : undefined));
    }
    if (!entry.refreshing && Date.now() - info.loadedAt > INFO_MAX_AGE_MS) {
      entry.refreshing = true;
      void load(entry.message);
    }
    return dispatchChange(dispatchDeps, toChange(message, info));
  };

  return {
    reset: () => {
      relations.clear();
      messagesRelations.clear();
    },
    onMessage: (message) => {
      switch (message.tag) {
        case "begin":
          commitTimestamp = new Date(message.commitTimeMs).toISOString();
          xid = message.xid;
          return undefined;
        case "relation":
          if (isMessagesRelation(message.schema, message.name)) {
            messagesRelations.set(message.oid, message.columns);
            return undefined;
          }
          relations.set(message.oid, { message, info: null, refreshing: true });
          return load(message);
        case "insert": {
          const messageColumns = messagesRelations.get(message.oid);
          if (!messageColumns) return onRowChange(message);
          const tuple = message.newTuple;
          return inOrder(null, () => relayDatabaseBroadcast(deps.hub, messageColumns, tuple, deps.log));
        }
        case "update":
        case "delete":
          return messagesRelations.has(message.oid) ? undefined : onRowChange(message);
        default:
          return undefined;
      }
    },
  };
}
