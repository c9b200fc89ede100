import type pg from "pg";
import { escapeLiteral } from "pg";
import type { Logger } from "pino";
import { type TRequestIdentity, withClaims } from "../db/with-claims.ts";
import { checkRowVisibility, rowConditionSql } from "./check-row-visibility.ts";
import type { TTupleValue } from "./decode-pgoutput-message.ts";
import type { TRelationInfo } from "./load-relation-info.ts";

/** One change's question: which of these identities may SELECT this row? */
interface TCheck {
  identities: TRequestIdentity[];
  keys: string[];
  info: TRelationInfo;
  tuple: TTupleValue[];
  /** Resolves once the change's transaction is visible to new snapshots. */
  awaitVisible: () => Promise<void>;
  resolve(visible: boolean[]): void;
}

/** Checks the changes that arrived since the last batch; at most this many rows in one statement. */
const MAX_ROWS_PER_STATEMENT = 200;
/** Batches checked at the same time; later checks wait, and so gather into bigger batches under load. */
const MAX_BATCHES_IN_FLIGHT = 2;

/** Answers, for one row change, which identities may see it (in the order given). */
export type TCheckVisibility = (
  identities: TRequestIdentity[],
  keys: string[],
  info: TRelationInfo,
  tuple: TTupleValue[],
  awaitVisible: () => Promise<void>,
) => Promise<boolean[]>;

/**
 * Gathers the RLS checks of row changes that arrive together (a burst of commits, or one
 * transaction of many rows) and runs them as one statement per table and identity: one
 * transaction switches role and claims before each identity's probe of every row it has to see,
 * instead of one transaction per row. Each change still waits for its own transaction to be
 * visible. A batch that fails is checked again change by change ({@link checkRowVisibility}), so
 * one failing policy costs only its own rows.
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

  return (identities, keys, info, tuple, awaitVisible) =>
    new Promise<boolean[]>((resolve) => {
      pending.push({ identities, keys, info, tuple, awaitVisible, resolve });
      schedule();
    });
}

async function runBatch(apiPool: pg.Pool, log: Logger, batch: TCheck[]): Promise<void> {
  const waits = new Set(batch.map((check) => check.awaitVisible));
  await Promise.all(
    [...waits].map((wait) =>
      wait().catch((err: unknown) => log.warn({ err }, "realtime could not confirm the transaction is visible; checking RLS anyway")),
    ),
  );
  const byTable = new Map<string, TCheck[]>();
  for (const check of batch) {
    const group = byTable.get(check.info.qualified);
    if (group) group.push(check);
    else byTable.set(check.info.qualified, [check]);
  }
  await Promise.all(
    [...byTable.values()].flatMap((group) => {
      const chunks: TCheck[][] = [];
      for (let i = 0; i < group.length; i += MAX_ROWS_PER_STATEMENT) chunks.push(group.slice(i, i + MAX_ROWS_PER_STATEMENT));
      return chunks.map((chunk) => checkTable(apiPool, chunk).catch(() => checkOneByOne(apiPool, log, chunk)));
    }),
  );
}

/** One transaction for the chunk (rows of one table): per identity, one probe of every row it must see. */
async function checkTable(apiPool: pg.Pool, checks: TCheck[]): Promise<void> {
  const identities = new Map<string, { identity: TRequestIdentity; rows: number[] }>();
  const conditions = checks.map((check) => rowConditionSql(check.info, check.tuple));
  for (const [row, check] of checks.entries()) {
    for (const [i, key] of check.keys.entries()) {
      const entry = identities.get(key);
      if (entry) entry.rows.push(row);
      else identities.set(key, { identity: check.identities[i] as TRequestIdentity, rows: [row] });
    }
  }
  const table = (checks[0] as TCheck).info.qualified;
  const entries = [...identities.entries()];
  const probes = entries.map(([, { identity, rows }]) => {
    const exists = rows.map((row) => {
      const condition = conditions[row];
      return condition === null ? "false" : `exists (select 1 from ${table} where ${condition})`;
    });
    return `select set_config('role', ${escapeLiteral(identity.role)}, true), set_config('request.jwt.claims', ${escapeLiteral(JSON.stringify(identity.claims))}, true); select array[${exists.join(", ")}] as visible;`;
  });
  const first = (entries[0] as (typeof entries)[number])[1].identity;
  const query = async (client: pg.PoolClient) => (await client.query(probes.join(" "))) as unknown as pg.QueryResult[];
  const results = await withClaims(apiPool, first, query, { readOnly: true });
  const seen = new Map<string, boolean>();
  for (const [i, [key, { rows }]] of entries.entries()) {
    const visible = (results[i * 2 + 1]?.rows[0] as { visible?: boolean[] } | undefined)?.visible ?? [];
    for (const [j, row] of rows.entries()) seen.set(`${row}:${key}`, visible[j] === true);
  }
  for (const [row, check] of checks.entries()) check.resolve(check.keys.map((key) => seen.get(`${row}:${key}`) === true));
}

/** The fallback: each change on its own, each identity retried alone when its batch fails. */
async function checkOneByOne(apiPool: pg.Pool, log: Logger, checks: TCheck[]): Promise<void> {
  await Promise.all(
    checks.map((check) =>
      checkRowVisibility(apiPool, check.identities, check.info, check.tuple)
        .catch((err: unknown) => {
          log.warn({ err, table: check.info.qualified }, "realtime RLS check failed; the change was not sent to RLS-checked subscribers");
          return check.keys.map(() => false);
        })
        .then(check.resolve),
    ),
  );
}
