import pg from "pg";
import { applyBootstrap } from "../local/src/postgres/apply-bootstrap.ts";
import { pushMigrations } from "../local/src/postgres/push-migrations.ts";

/** A database made for one test, and how to remove it. */
export interface TMigratedDatabase {
  /** Superuser connection string of the new database. */
  databaseUrl: string;
  drop(): Promise<void>;
}

/**
 * Creates database `name` beside the one at `superuserUrl`, with hosted Supabase's defaults and
 * every migration applied (no seed): a schema no other test has touched, without starting
 * another cluster.
 */
export async function createMigratedDatabase(superuserUrl: string, name: string): Promise<TMigratedDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`"${name}" cannot name a test database: use lower-case letters, digits and underscores`);
  }
  await runAsSuperuser(superuserUrl, `create database ${name}`);
  const url = new URL(superuserUrl);
  url.pathname = `/${name}`;
  const database: TMigratedDatabase = {
    databaseUrl: url.toString(),
    drop: () => runAsSuperuser(superuserUrl, `drop database if exists ${name} with (force)`),
  };
  try {
    await applyBootstrap(database.databaseUrl);
    await pushMigrations(database.databaseUrl);
  } catch (err) {
    await database.drop();
    throw err;
  }
  return database;
}

async function runAsSuperuser(superuserUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
