import type pg from "pg";
import type { TJwtClaims } from "../keys/jwt-keys.ts";

/** What a request runs as: the JWT's role and its claims, as PostgREST sets them. */
export interface TRequestIdentity {
  role: TJwtClaims["role"];
  claims: TJwtClaims;
}

export interface TWithClaimsOptions {
  /** Extra transaction-local settings, e.g. `request.method` or `request.headers`. */
  settings?: Record<string, string>;
  readOnly?: boolean;
}

/**
 * Runs `fn` in one transaction under the identity's role with `request.jwt.claims` set
 * transaction-locally, so RLS and `auth.uid()` see exactly what PostgREST would give them.
 * The pool must connect as `authenticator`, which can only become the three API roles.
 */
export async function withClaims<T>(
  pool: pg.Pool,
  identity: TRequestIdentity,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: TWithClaimsOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let released = false;
  try {
    await client.query(options.readOnly ? "begin isolation level read committed read only" : "begin");
    const names = ["role", "request.jwt.claims", ...Object.keys(options.settings ?? {})];
    const values = [identity.role, JSON.stringify(identity.claims), ...Object.values(options.settings ?? {})];
    const sets = names.map((_, i) => `set_config($${i * 2 + 1}, $${i * 2 + 2}, true)`).join(", ");
    await client.query(
      `select ${sets}`,
      names.flatMap((n, i) => [n, values[i]]),
    );
    const result = await fn(client);
    await client.query("commit");
    return result;
  } catch (err) {
    try {
      await client.query("rollback");
    } catch (rollbackErr) {
      client.release(rollbackErr as Error);
      released = true;
    }
    throw err;
  } finally {
    if (!released) client.release();
  }
}
