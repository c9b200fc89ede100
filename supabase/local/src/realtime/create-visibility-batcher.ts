import type pg from "pg";
import type { Logger } from "pino";
import type { TRequestIdentity } from "../db/with-claims.ts";
import { checkRowsVisibility, type TVisibilityAsk, type TVisibilityRow } from "./check-rows-visibility.ts";
import type { TTupleValue } from "./decode-pgoutput-message.ts";
import type { TRelationInfo } from "./load-relation-info.ts";

/** One change's question: which of these identities may SELECT this row? */
interface TCheck {
  identities: TRequestIdentity[];
  keys: string[];
  row: TVisibilityRow;
  resolve(visible: boolean[]): void;
}

/** Batches checked at the same time; later checks wait, and so gather into bigger batches under load. */
const MAX_BATCHES_IN_FLIGHT = 2;

/** Answers, for one row change, which identities may see it (in the order given). */
export type TCheckVisibility = (
  identities: TRequestIdentity[],
  keys: string[],
  info: TRelationInfo,
  tuple: TTupleValue[],
  /** The change's transaction (32-bit xid): the answer waits until it is visible to new snapshots. */
  xid: number,
) => Promise<boolean[]>;

/**
 * Gathers the RLS checks of row changes that arrive together (a burst of commits, or one
 * transaction of many rows) and answers them with {@link checkRowsVisibility}: one round trip per
 * transaction of identities, each identity probing every row it has to see with one statement per
 * table, which also waits for the rows' transactions to be visible. Each check is answered
 * separately, so delivery order is kept by the caller.
 */
export function createVisibilityBatcher(apiPool: pg.Pool, log: Logger): TCheckVisibility {
  let pending: TCheck[] = [];
  let scheduled = false;
  let inFlight = 0;

  const schedule = () => {
    if (scheduled || pending.length === 0 || inFlight >= MAX_BATCHES_IN_FLIGHT) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (inFlight >= MAX_BATCHES_IN_FLIGHT) return;
      const batch = pending;
      pending = [];
      inFlight += 1;
      void runBatch(apiPool, log, batch).finally(() => {
        inFlight -= 1;
        schedule();
      });
    });
  };

  return (identities, keys, info, tuple, xid) =>
    new Promise<boolean[]>((resolve) => {
      pending.push({ identities, keys, row: { info, tuple, xid }, resolve });
      schedule();
    });
}

async function runBatch(apiPool: pg.Pool, log: Logger, batch: TCheck[]): Promise<void> {
  const asks = new Map<string, TVisibilityAsk>();
  for (const [row, check] of batch.entries()) {
    for (const [i, key] of check.keys.entries()) {
      const ask = asks.get(key);
      if (ask) ask.rows.push(row);
      else asks.set(key, { key, identity: check.identities[i] as TRequestIdentity, rows: [row] });
    }
  }
  let answers: Map<string, boolean[]>;
  try {
    answers = await checkRowsVisibility(
      apiPool,
      log,
      batch.map((check) => check.row),
      [...asks.values()],
    );
  } catch (err) {
    log.warn({ err }, "realtime RLS checks failed; the changes were not sent to RLS-checked subscribers");
    answers = new Map();
  }
  // Where each check's row sits in each ask's answer list.
  const seen = new Map<string, boolean>();
  for (const ask of asks.values()) {
    const visible = answers.get(ask.key) ?? [];
    for (const [j, row] of ask.rows.entries()) seen.set(`${row}:${ask.key}`, visible[j] === true);
  }
  for (const [row, check] of batch.entries()) check.resolve(check.keys.map((key) => seen.get(`${row}:${key}`) === true));
}
