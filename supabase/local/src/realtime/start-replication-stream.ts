import crypto from "node:crypto";
import pg from "pg";
import type { Logger } from "pino";
import { decodePgoutputMessage, type TPgoutputMessage } from "./decode-pgoutput-message.ts";

/** Settings of the replication stream. */
export interface TReplicationStreamOptions {
  /** Superuser connection string (replication needs the REPLICATION attribute). */
  databaseUrl: string;
  /** Superuser pool, used to drop slots a crashed gateway left behind. */
  adminPool: pg.Pool;
  /** Publications to stream (pgoutput's publication_names), e.g. supabase_realtime and the realtime.messages one. */
  publications: string[];
  log: Logger;
  /**
   * Called for every decoded message, strictly in WAL order; the next message waits for a
   * returned promise. Return nothing on the fast path so no microtask hop is added.
   */
  onMessage(message: TPgoutputMessage): undefined | Promise<void>;
  /** Called when a new replication connection starts (relation messages will be resent). */
  onRestart(): void;
}

/** A running logical replication stream. */
export interface TReplicationStream {
  /** Name of the slot of the current connection (temporary: it disappears with the connection). */
  slotName(): string | null;
  close(): Promise<void>;
}

type TState = "starting" | "running" | "reconnecting" | "stopping" | "stopped";

/** Slots this module creates start with this prefix; inactive ones are leftovers and are dropped at start. */
export const SLOT_PREFIX = "mc_realtime_";
const FEEDBACK_DELAY_MS = 20;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/**
 * Streams `pgoutput` changes of the publication over one replication connection, through a
 * TEMPORARY slot (Postgres drops it when the connection ends, so a crashed gateway holds no WAL).
 * Resolves once Postgres has started streaming: every transaction committed after that is
 * delivered. Reconnects with back-off when the connection drops (e.g. Postgres restarts); changes
 * committed while disconnected are not replayed, as a fresh temporary slot starts at "now".
 */
export async function startReplicationStream(options: TReplicationStreamOptions): Promise<TReplicationStream> {
  const { log } = options;
  let state: TState = "starting";
  let client: pg.Client | null = null;
  let currentSlot: string | null = null;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let feedbackTimer: NodeJS.Timeout | null = null;
  let processedLsn = 0n;
  let sentLsn = 0n;
  const queue: TPgoutputMessage[] = [];
  let draining = false;

  await dropStaleSlots(options.adminPool, log);

  const sendFeedback = (replyRequested = false) => {
    feedbackTimer = null;
    const connection = client && (client as unknown as { connection?: { sendCopyFromChunk(b: Buffer): void } }).connection;
    if (!connection) return;
    const buf = Buffer.alloc(34);
    buf.write("r", 0, "latin1");
    buf.writeBigUInt64BE(processedLsn, 1);
    buf.writeBigUInt64BE(processedLsn, 9);
    buf.writeBigUInt64BE(processedLsn, 17);
    buf.writeBigInt64BE(BigInt(Date.now() - 946_684_800_000) * 1000n, 25);
    buf.writeUInt8(replyRequested ? 1 : 0, 33);
    connection.sendCopyFromChunk(buf);
    sentLsn = processedLsn;
  };
  const scheduleFeedback = () => {
    if (feedbackTimer || processedLsn === sentLsn) return;
    feedbackTimer = setTimeout(sendFeedback, FEEDBACK_DELAY_MS);
    feedbackTimer.unref();
  };

  const afterMessage = (message: TPgoutputMessage) => {
    if (message.tag === "commit") {
      if (message.endLsn > processedLsn) processedLsn = message.endLsn;
      scheduleFeedback();
    }
  };
  const drain = async () => {
    draining = true;
    try {
      while (queue.length > 0) {
        const message = queue.shift() as TPgoutputMessage;
        try {
          await options.onMessage(message);
        } catch (err) {
          log.error({ err, tag: message.tag }, "realtime could not process a replication message; it was skipped");
        }
        afterMessage(message);
      }
    } finally {
      draining = false;
    }
  };
  const enqueue = (message: TPgoutputMessage) => {
    if (!draining && queue.length === 0) {
      let result: undefined | Promise<void>;
      try {
        result = options.onMessage(message);
      } catch (err) {
        log.error({ err, tag: message.tag }, "realtime could not process a replication message; it was skipped");
      }
      if (!result) {
        afterMessage(message);
        return;
      }
      draining = true;
      result
        .catch((err: unknown) => log.error({ err, tag: message.tag }, "realtime could not process a replication message; it was skipped"))
        .then(() => {
          afterMessage(message);
          return drain();
        });
      return;
    }
    queue.push(message);
  };

  const onCopyData = (chunk: Buffer) => {
    const kind = chunk[0];
    if (kind === 0x77) {
      // XLogData: start LSN, end LSN, send time, then the pgoutput message.
      enqueue(decodePgoutputMessage(chunk.subarray(25)));
    } else if (kind === 0x6b) {
      // Primary keepalive: everything before walEnd was either sent or filtered out by the publication.
      const walEnd = chunk.readBigUInt64BE(1);
      const replyRequested = chunk[17] === 1;
      if (!draining && queue.length === 0 && walEnd > processedLsn) processedLsn = walEnd;
      if (replyRequested) sendFeedback();
      else scheduleFeedback();
    }
  };

  const connect = async () => {
    const slot = `${SLOT_PREFIX}${crypto.randomBytes(6).toString("hex")}`;
    const next = new pg.Client({
      connectionString: options.databaseUrl,
      replication: "database",
      application_name: "mc-realtime-replication",
    } as pg.ClientConfig);
    next.on("error", (err) => onDisconnect(next, err));
    next.on("end", () => onDisconnect(next, null));
    await next.connect();
    client = next;
    await next.query(`CREATE_REPLICATION_SLOT "${slot}" TEMPORARY LOGICAL pgoutput (SNAPSHOT 'nothing')`);
    currentSlot = slot;
    processedLsn = 0n;
    sentLsn = 0n;
    queue.length = 0;
    options.onRestart();
    const connection = (next as unknown as { connection: NodeJS.EventEmitter }).connection;
    connection.on("copyData", ({ chunk }: { chunk: Buffer }) => {
      if (client === next) onCopyData(chunk);
    });
    const started = new Promise<void>((resolve, reject) => {
      connection.once("replicationStart", () => resolve());
      next.once("error", reject);
    });
    const publications = options.publications
      .map((p) => `"${p.replaceAll('"', '""')}"`)
      .join(",")
      .replaceAll("'", "''");
    next
      .query(`START_REPLICATION SLOT "${slot}" LOGICAL 0/0 (proto_version '1', publication_names '${publications}')`)
      .catch((err: unknown) => onDisconnect(next, err as Error));
    await started;
  };

  const onDisconnect = (which: pg.Client, err: Error | null) => {
    if (client !== which) return;
    client = null;
    currentSlot = null;
    which.end().catch(() => {});
    if (state === "stopping" || state === "stopped") return;
    log.warn(
      { err },
      "realtime lost its replication connection to Postgres; reconnecting (changes committed while disconnected are not delivered)",
    );
    state = "reconnecting";
    scheduleReconnect();
  };

  const scheduleReconnect = () => {
    if (reconnectTimer || state === "stopping" || state === "stopped") return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt += 1;
    reconnectTimer = setTimeout(async () => {
      reconnectTimer = null;
      try {
        await connect();
        attempt = 0;
        state = "running";
        log.info({ slot: currentSlot }, "realtime replication stream reconnected");
      } catch (err) {
        log.warn({ err, attempt }, "realtime could not reconnect its replication stream yet; retrying with back-off");
        const failed = client as pg.Client | null;
        client = null;
        await failed?.end().catch(() => {});
        scheduleReconnect();
      }
    }, delay);
  };

  try {
    await connect();
  } catch (err) {
    await (client as pg.Client | null)?.end().catch(() => {});
    throw new Error(
      `Realtime could not start logical replication on ${redactUrl(options.databaseUrl)}: ${(err as Error).message}. Postgres must run with wal_level=logical and free replication slots (max_replication_slots).`,
      { cause: err },
    );
  }
  state = "running";
  log.debug({ slot: currentSlot }, "realtime replication stream started");

  return {
    slotName: () => currentSlot,
    close: async () => {
      if (state === "stopped") return;
      state = "stopping";
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (feedbackTimer) clearTimeout(feedbackTimer);
      const last = client;
      client = null;
      currentSlot = null;
      await last?.end().catch(() => {});
      state = "stopped";
    },
  };
}

async function dropStaleSlots(adminPool: pg.Pool, log: Logger): Promise<void> {
  try {
    const { rows } = await adminPool.query<{ slot_name: string }>(
      `select slot_name, pg_drop_replication_slot(slot_name) from pg_replication_slots
        where slot_name like $1 and not active`,
      [`${SLOT_PREFIX.replaceAll("_", "\\_")}%`],
    );
    if (rows.length > 0) log.info({ slots: rows.map((r) => r.slot_name) }, "dropped replication slots left by an earlier gateway");
  } catch (err) {
    log.warn({ err }, "could not drop stale realtime replication slots; check pg_replication_slots by hand");
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
