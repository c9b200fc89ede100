import fs from "node:fs/promises";
import pg from "pg";
import { logClientErrors } from "../db/log-pool-errors.ts";

const bootstrapFile = new URL("./bootstrap.sql", import.meta.url);

/** Applies hosted Supabase's roles, schemas, auth helpers and the empty publication. Idempotent. */
export async function applyBootstrap(databaseUrl: string): Promise<void> {
  const sql = await fs.readFile(bootstrapFile, "utf8");
  const client = new pg.Client({ connectionString: databaseUrl });
  // A dropped connection fails the pending query (and so the start); it must not also crash the process.
  logClientErrors(client, undefined, "bootstrap");
  await client.connect();
  try {
    // A global lock keeps two concurrent starts from racing on `create role`.
    await client.query("select pg_advisory_lock(54321)");
    await client.query(sql);
  } finally {
    await client.query("select pg_advisory_unlock(54321)").catch(() => {});
    await client.end();
  }
}
