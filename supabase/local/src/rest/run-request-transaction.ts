import pg from "pg";
import type { TRequestIdentity } from "../db/with-claims.ts";
import { mapPgError } from "./map-pg-error.ts";

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
  pool: pg.Pool,
  identity: TRequestIdentity,
  settings: Record<string, string>,
  options: { readOnly: boolean; rollback?: boolean },
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`${options.readOnly ? READ_ONLY_BEGIN : "begin"}; ${setConfigSql(identity, settings)}`);
    const result = await fn(client);
    await client.query(options.rollback ? "rollback" : "commit");
    return result;
  } catch (err) {
    // Whatever failed (begin, set_config, the statement or commit), the connection goes back clean.
    await client.query("rollback").catch((rollbackErr: Error) => {
      broken = rollbackErr;
    });
    throw mapPgError(err instanceof RollbackWith ? err.error : err, identity.role);
  } finally {
    client.release(broken);
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
  pool: pg.Pool,
  identity: TRequestIdentity,
  settings: Record<string, string>,
  sql: string,
  options: { readOnly: boolean } = { readOnly: true },
): Promise<T | undefined> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = (await client.query(
      `${options.readOnly ? READ_ONLY_BEGIN : "begin"}; ${setConfigSql(identity, settings)}; ${sql}; commit`,
    )) as unknown as pg.QueryResult[];
    return results[2]?.rows[0] as T | undefined;
  } catch (err) {
    await client.query("rollback").catch((rollbackErr: Error) => {
      broken = rollbackErr;
    });
    throw mapPgError(err, identity.role);
  } finally {
    client.release(broken);
  }
}
