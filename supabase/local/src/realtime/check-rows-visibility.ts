import type pg from "pg";
import { escapeLiteral } from "pg";
import type { Logger } from "pino";
import type { TRequestIdentity } from "../db/with-claims.ts";
import type { TTupleValue } from "./decode-pgoutput-message.ts";
import { quoteIdent, type TRelationInfo } from "./load-relation-info.ts";

/** One changed row whose visibility is asked about. */
export interface TVisibilityRow {
  info: TRelationInfo;
  /** The new row: its primary key finds the row. */
  tuple: TTupleValue[];
  /** The change's transaction (32-bit, from the Begin message): the answer waits until it is visible. */
  xid: number;
}

/** One identity's question: may it SELECT each of these rows (indexes into the rows)? */
export interface TVisibilityAsk {
  /** Role + claims as one string (the channel's identityKey). */
  key: string;
  identity: TRequestIdentity;
  rows: number[];
}

/** Identities probed in one transaction; bigger asks are split into transactions run side by side. */
const IDENTITIES_PER_TRANSACTION = 25;
/** Rows of one table in one probe statement. */
const MAX_ROWS_PER_STATEMENT = 200;
/** Probes repeated while a change's transaction is not yet visible, before answering anyway. */
const MAX_ATTEMPTS = 200;
const READ_ONLY_BEGIN = "begin isolation level read committed read only";

/**
 * Answers, for each ask, whether its identity may SELECT each of its rows under RLS: the rule
 * hosted Realtime applies to INSERT and UPDATE on RLS tables. Each transaction (up to
 * {@link IDENTITIES_PER_TRANSACTION} identities) is one round trip: `begin read only`, then per
 * identity a transaction-local `set_config` of role and `request.jwt.claims` and one `select` per
 * table probing every row by primary key, then `commit`, as one simple-protocol query with values
 * as escaped literals. The first probe also says whether the rows' transactions are visible to its
 * snapshot, the oldest of the transaction (Postgres wakes the walsender as soon as the commit
 * record is flushed, a moment before the transaction leaves the proc array); if not, the round
 * trip is repeated, so no separate wait is needed. A transaction that fails (e.g. a policy raising for some claims or some row) is
 * split, identity by identity and then row set by halves, so one failing policy costs only its
 * own rows. A row without a primary key value counts as not visible.
 * Answers come back by ask key, in the order of the ask's rows.
 */
export async function checkRowsVisibility(
  apiPool: pg.Pool,
  log: Logger,
  rows: readonly TVisibilityRow[],
  asks: readonly TVisibilityAsk[],
): Promise<Map<string, boolean[]>> {
  const keys = rows.map((row) => primaryKeyLiterals(row.info, row.tuple));
  const groups: TVisibilityAsk[][] = [];
  for (let i = 0; i < asks.length; i += IDENTITIES_PER_TRANSACTION) groups.push(asks.slice(i, i + IDENTITIES_PER_TRANSACTION));
  const answers = new Map<string, boolean[]>();
  const settled = await Promise.all(groups.map((group) => settle(apiPool, log, rows, keys, group)));
  for (const part of settled) for (const [key, visible] of part) answers.set(key, visible);
  return answers;
}

/** Probes the asks; on failure splits them until the failing identity and row are alone (answered false). */
async function settle(
  apiPool: pg.Pool,
  log: Logger,
  rows: readonly TVisibilityRow[],
  keys: ReadonlyArray<string[] | null>,
  asks: readonly TVisibilityAsk[],
): Promise<Map<string, boolean[]>> {
  try {
    return await probeUntilVisible(apiPool, log, rows, keys, asks);
  } catch (err) {
    if (asks.length > 1) {
      const parts = await Promise.all(asks.map((ask) => settle(apiPool, log, rows, keys, [ask])));
      return new Map(parts.flatMap((part) => [...part]));
    }
    const ask = asks[0] as TVisibilityAsk;
    if (ask.rows.length > 1) {
      const half = Math.ceil(ask.rows.length / 2);
      const [first, second] = await Promise.all([
        settle(apiPool, log, rows, keys, [{ ...ask, rows: ask.rows.slice(0, half) }]),
        settle(apiPool, log, rows, keys, [{ ...ask, rows: ask.rows.slice(half) }]),
      ]);
      return new Map([[ask.key, [...(first.get(ask.key) ?? []), ...(second.get(ask.key) ?? [])]]]);
    }
    const row = rows[ask.rows[0] as number];
    log.warn(
      { err, table: row?.info.qualified, role: ask.identity.role },
      "realtime RLS check failed; the change was not sent to RLS-checked subscribers",
    );
    return new Map([[ask.key, [false]]]);
  }
}

/** One probe statement: which ask, which of its rows (positions in ask.rows). */
interface TProbe {
  ask: TVisibilityAsk;
  positions: number[];
  /** Index of the statement's result in the query's results. */
  result: number;
}

async function probeUntilVisible(
  apiPool: pg.Pool,
  log: Logger,
  rows: readonly TVisibilityRow[],
  keys: ReadonlyArray<string[] | null>,
  asks: readonly TVisibilityAsk[],
): Promise<Map<string, boolean[]>> {
  const statements: string[] = [READ_ONLY_BEGIN];
  const probes: TProbe[] = [];
  for (const ask of asks) {
    statements.push(
      `select set_config('role', ${escapeLiteral(ask.identity.role)}, true), set_config('request.jwt.claims', ${escapeLiteral(JSON.stringify(ask.identity.claims))}, true)`,
    );
    const byTable = new Map<TRelationInfo, number[]>();
    for (const [position, row] of ask.rows.entries()) {
      const info = (rows[row] as TVisibilityRow).info;
      if (keys[row] === null) continue;
      const group = byTable.get(info);
      if (group) group.push(position);
      else byTable.set(info, [position]);
    }
    for (const [info, positions] of byTable) {
      for (let i = 0; i < positions.length; i += MAX_ROWS_PER_STATEMENT) {
        const chunk = positions.slice(i, i + MAX_ROWS_PER_STATEMENT);
        const chunkRows = chunk.map((position) => ask.rows[position] as number);
        // The first probe's snapshot is the oldest of the transaction (read committed: one per
        // statement): once it sees every row's transaction, so do the later ones.
        const first = probes.length === 0;
        probes.push({ ask, positions: chunk, result: statements.length });
        statements.push(probeSql(info, chunkRows, keys, first ? xidsOf(rows, asks) : null));
      }
    }
  }
  statements.push("commit");
  const answers = new Map<string, boolean[]>(asks.map((ask) => [ask.key, ask.rows.map(() => false)]));
  if (probes.length === 0) return answers;

  for (let attempt = 1; ; attempt++) {
    const results = await runScript(apiPool, statements.join("; "));
    let ready = false;
    for (const [i, probe] of probes.entries()) {
      const row = results[probe.result]?.rows[0] as { ready?: boolean; visible?: boolean[] } | undefined;
      if (i === 0) ready = row?.ready === true;
      const answer = answers.get(probe.ask.key) as boolean[];
      for (const [j, position] of probe.positions.entries()) answer[position] = row?.visible?.[j] === true;
    }
    if (ready) return answers;
    if (attempt >= MAX_ATTEMPTS) {
      log.warn(
        { xids: [...new Set(rows.map((r) => r.xid))] },
        "realtime could not confirm the transaction is visible; answering RLS anyway",
      );
      return answers;
    }
    await new Promise((resolve) => setTimeout(resolve, attempt < 10 ? 0 : 1));
  }
}

/**
 * `select visible[, ready]` for rows of one table: `visible` probes each row by primary key (in
 * the order given); with `xids`, `ready` says whether those transactions are visible to the
 * statement's snapshot, the one its probes read with.
 */
function probeSql(info: TRelationInfo, chunk: number[], keys: ReadonlyArray<string[] | null>, xids: number[] | null): string {
  const pk = info.pkPositions.map((position) => info.tupleColumns[position]);
  const ready = xids ? `, ${readySql(xids)} as ready` : "";
  if (chunk.length === 1) {
    const literals = keys[chunk[0] as number] as string[];
    const match = pk.map((column, i) => `${quoteIdent(column?.name ?? "")} = ${literals[i]}`).join(" and ");
    return `select array[exists (select 1 from ${info.qualified} where ${match})] as visible${ready}`;
  }
  const names = pk.map((_, i) => `c${i}`);
  const values = chunk.map((row, ordinal) => `(${ordinal}, ${(keys[row] as string[]).join(", ")})`);
  const match = pk.map((column, i) => `t.${quoteIdent(column?.name ?? "")} = k.${names[i]}`).join(" and ");
  return `select array(select exists (select 1 from ${info.qualified} as t where ${match}) from (values ${values.join(", ")}) as k(o, ${names.join(", ")}) order by k.o) as visible${ready}`;
}

/** The distinct transactions of the rows the asks are about. */
function xidsOf(rows: readonly TVisibilityRow[], asks: readonly TVisibilityAsk[]): number[] {
  const xids = new Set<number>();
  for (const ask of asks) for (const row of ask.rows) xids.add((rows[row] as TVisibilityRow).xid);
  return [...xids];
}

/**
 * Whether every transaction (32-bit xids, as pgoutput gives them) is visible to the current
 * snapshot. pg_visible_in_snapshot wants the 64-bit xid8: the epoch comes from the snapshot's
 * xmax, which can lag behind a just-committed xid (xmax is the latest completed xid + 1), so only
 * a distance of more than 2^31 means the xid is from another epoch.
 */
function readySql(xids: number[]): string {
  return `(select coalesce(bool_and(pg_visible_in_snapshot(((((m.xmax >> 32) + case
        when x.xid - (m.xmax & 4294967295) > 2147483648 then -1
        when (m.xmax & 4294967295) - x.xid > 2147483648 then 1
        else 0
      end) << 32) | x.xid)::text::xid8, m.snap)), true)
    from (select s.snap, pg_snapshot_xmax(s.snap)::text::bigint as xmax from (select pg_current_snapshot() as snap) as s) as m,
      unnest('{${xids.join(",")}}'::bigint[]) as x(xid))`;
}

/** The primary key values of the row as typed literals, in key order; null without a primary key or a key value. */
function primaryKeyLiterals(info: TRelationInfo, tuple: TTupleValue[]): string[] | null {
  if (info.pkPositions.length === 0) return null;
  const literals: string[] = [];
  for (const position of info.pkPositions) {
    const column = info.tupleColumns[position];
    const value = tuple[position];
    if (!column || value === null || value === undefined) return null;
    literals.push(`${escapeLiteral(value)}::${column.sqlType}`);
  }
  return literals;
}

/** Runs a `begin …; commit` script in one round trip; on error rolls back so the connection goes back clean. */
async function runScript(apiPool: pg.Pool, script: string): Promise<pg.QueryResult[]> {
  const client = await apiPool.connect();
  let broken: Error | undefined;
  try {
    return (await client.query(script)) as unknown as pg.QueryResult[];
  } catch (err) {
    await client.query("rollback").catch((rollbackErr: Error) => {
      broken = rollbackErr;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
