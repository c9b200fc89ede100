import pg from "pg";
import type { TRequestIdentity } from "../db/with-claims.ts";
import { mapPgError } from "./map-pg-error.ts";
import type { TRequestPool } from "./rest-request.ts";

/** Throw this inside a request transaction to roll it back and answer with `error`. */
export class RollbackWith extends Error {
  constructor(readonly error: unknown) {
    super("rollback");
  }
}

/**
 * Runs `fn` in one transaction under the request's role with `request.jwt.claims` (and the other
 * `request.*` settings) set transaction-locally, like withClaims, but in one round trip: `begin`
 * and the `set_config` calls go as one simple-protocol query with escaped literals.
 * Postgres errors come out as PostgREST-shaped HttpErrors.
 */
export async function runRequestTransaction<T>(
  pool: TRequestPool,
  identity: TRequestIdentity,
  settings: Record<string, string>,
  options: { readOnly: boolean; rollback?: boolean },
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const { client, release } = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`${options.readOnly ? READ_ONLY_BEGIN : "begin"}; ${setConfigSql(identity, settings)}`);
    const result = await fn(client);
    // As PostgREST: deferred constraints are checked before a tx=rollback, so the answer says whether a commit would have worked.
    await client.query(options.rollback ? "set constraints all immediate; rollback" : "commit");
    return result;
  } catch (err) {
    // Whatever failed (begin, set_config, the statement or commit), the connection goes back clean.
    await client.query("rollback").catch((rollbackErr: Error) => {
      broken = rollbackErr;
    });
    throw mapPgError(err instanceof RollbackWith ? err.error : err, identity.role);
  } finally {
    release(broken);
  }
}

const READ_ONLY_BEGIN = "begin isolation level read committed read only";

/** `select set_config(…)` for the role, the claims and the other request settings, as escaped literals. */
function setConfigSql(identity: TRequestIdentity, settings: Record<string, string>): string {
  const all: Record<string, string> = { role: identity.role, "request.jwt.claims": JSON.stringify(identity.claims), ...settings };
  const sets = Object.entries(all).map(([name, value]) => `set_config(${pg.escapeLiteral(name)}, ${pg.escapeLiteral(value)}, true)`);
  return `select ${sets.join(", ")}`;
}

/**
 * Runs one statement whose values are inlined literals (SqlParams in inline mode) in a single
 * round trip: `begin [read only]; set_config…; <sql>; commit` as one simple-protocol query.
 * Returns the first row of `<sql>`. On error the transaction is rolled back and the error mapped.
 */
export async function runInlineStatement<T>(
  pool: TRequestPool,
  identity: TRequestIdentity,
  settings: Record<string, string>,
  sql: string,
  options: { readOnly: boolean } = { readOnly: true },
): Promise<T | undefined> {
  const [result] = await runInlineStatements(pool, identity, settings, [sql], options);
  return result?.rows[0] as T | undefined;
}

/** Like runInlineStatement for several statements (e.g. a read and the EXPLAIN of its count); returns each one's result. */
export async function runInlineStatements(
  pool: TRequestPool,
  identity: TRequestIdentity,
  settings: Record<string, string>,
  sqls: string[],
  options: { readOnly: boolean } = { readOnly: true },
): Promise<pg.QueryResult[]> {
  const { client, release } = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = (await client.query(
      `${options.readOnly ? READ_ONLY_BEGIN : "begin"}; ${setConfigSql(identity, settings)}; ${sqls.join("; ")}; commit`,
    )) as unknown as pg.QueryResult[];
    return results.slice(2, 2 + sqls.length);
  } catch (err) {
    await client.query("rollback").catch((rollbackErr: Error) => {
      broken = rollbackErr;
    });
    throw mapPgError(err, identity.role);
  } finally {
    release(broken);
  }
}
