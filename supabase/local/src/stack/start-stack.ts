import fs from "node:fs/promises";
import os from "node:os";
import pg from "pg";
import pino, { type Logger } from "pino";
import { createFairPool } from "../db/create-fair-pool.ts";
import { logPoolErrors } from "../db/log-pool-errors.ts";
import { startGateway } from "../gateway/start-gateway.ts";
import { assertPortFree } from "../http/assert-port-free.ts";
import { createJwtKeys, loadJwtSecret } from "../keys/jwt-keys.ts";
import { applyBootstrap } from "../postgres/apply-bootstrap.ts";
import { pushMigrations } from "../postgres/push-migrations.ts";
import { startPostgres } from "../postgres/start-postgres.ts";
import { loadProviderKeyEncryptionKey } from "./load-provider-key-encryption-key.ts";
import { type TStackEnvFile, writeEnvFile } from "./write-env-file.ts";

export interface TStartStackOptions {
  dataDir: string;
  host: string;
  port: number;
  pgPort: number;
  /** Wipe the data folder first. */
  reset?: boolean;
  /** Apply supabase/seed.sql after the migrations (default true). */
  seed?: boolean;
  /** Write `.env.local` at the repository root (default false; `pnpm stack` turns it on). */
  envFile?: string | false;
  log?: Logger;
  /** Allow anonymous sign-ins (POST /auth/v1/signup with no email or phone); off by default, as GoTrue. */
  anonymousSignIns?: boolean;
  /** Postgres loads pg_stat_statements and times functions, for profiling (off by default). */
  pgStats?: boolean;
}

/** A running local stack: its URLs and keys, and how to stop it. */
export interface TStackHandle extends TStackEnvFile {
  /** Times of each start-up step in milliseconds, for the cold-start benchmark. */
  timings: Record<string, number>;
  reloadSchema(): Promise<void>;
  stop(): Promise<void>;
}

/** Login role the gateway's request pool uses; it can only switch to the three API roles. */
const AUTHENTICATOR = { user: "authenticator", password: "authenticator" } as const;
/** Connections REST requests run on (PostgREST's db-pool). */
const API_POOL_SIZE = 20;
/**
 * Connections of the API pool one identity may hold at once: one per core (at least 2). More do not
 * make one member's burst faster, only everyone else's requests, the executor's claims and
 * realtime's checks slower (measured with bench/run-pickup.ts on 2 cores: 2 beat 3 and 6).
 */
const API_CONNECTIONS_PER_IDENTITY = Math.max(2, os.availableParallelism());
/** The same for the service role, which every executor shares: twice as many (at least 4). */
const API_CONNECTIONS_PER_SERVICE_ROLE = 2 * API_CONNECTIONS_PER_IDENTITY;
/** Connections the priority lane may hold: the executor's claims (Priority: u=0 from the service role). */
const API_PRIORITY_CONNECTIONS = 2;

/**
 * Brings up Postgres (embedded), hosted Supabase's defaults, the migrations (through the
 * Supabase CLI), the seed, and the gateway. Idempotent: run it again on the same data folder.
 */
export async function startStack(options: TStartStackOptions): Promise<TStackHandle> {
  const log = options.log ?? pino({ level: "info" });
  const timings: Record<string, number> = {};
  const started = performance.now();
  const mark = (step: string) => {
    timings[step] = Math.round(performance.now() - started);
  };

  if (options.reset) {
    await fs.rm(options.dataDir, { recursive: true, force: true });
    log.info({ dataDir: options.dataDir }, "wiped the local stack's data folder");
  }
  await fs.mkdir(options.dataDir, { recursive: true });
  const secret = await loadJwtSecret(options.dataDir);
  const keys = await createJwtKeys(secret);
  const providerKeyEncryptionKey = await loadProviderKeyEncryptionKey(options.dataDir);

  // Check the gateway's port before Postgres starts, so a clash fails fast and leaves nothing running.
  await assertPortFree(options.host, options.port, "the Supabase gateway", "MC_STACK_PORT");
  const postgres = await startPostgres({
    dataDir: options.dataDir,
    port: options.pgPort,
    host: options.host,
    log,
    pgStats: options.pgStats ?? false,
  });
  mark("postgres");
  const pools: pg.Pool[] = [];
  let stopping: Promise<void> | undefined;
  try {
    await applyBootstrap(postgres.databaseUrl);
    mark("bootstrap");
    await pushMigrations(postgres.databaseUrl, { includeSeed: options.seed ?? true });
    mark("migrations");

    // Connections stay open once made (pg closes idle ones after 10 s by default): a new backend's first
    // call of each function costs 10-17 ms (catalog caches, PL/pgSQL compile) where a warm one takes 1-3.
    const authenticatorPool = (max: number, name: string) =>
      new pg.Pool({
        host: options.host,
        port: options.pgPort,
        database: "postgres",
        ...AUTHENTICATOR,
        max,
        application_name: name,
        idleTimeoutMillis: 0,
      });
    const apiPool = authenticatorPool(API_POOL_SIZE, "mc-gateway-api");
    const realtimePool = authenticatorPool(4, "mc-gateway-realtime");
    const adminPool = new pg.Pool({ connectionString: postgres.databaseUrl, max: 8, application_name: "mc-gateway-admin" });
    pools.push(apiPool, realtimePool, adminPool);
    logPoolErrors(apiPool, log, "api", () => stopping !== undefined);
    logPoolErrors(realtimePool, log, "realtime", () => stopping !== undefined);
    logPoolErrors(adminPool, log, "admin", () => stopping !== undefined);

    const publicUrl = `http://${options.host}:${options.port}`;
    const gateway = await startGateway(
      {
        apiPool: createFairPool(apiPool, {
          size: API_POOL_SIZE,
          perKey: API_CONNECTIONS_PER_IDENTITY,
          perTrustedKey: API_CONNECTIONS_PER_SERVICE_ROLE,
          priority: API_PRIORITY_CONNECTIONS,
        }),
        realtimePool,
        adminPool,
        databaseUrl: postgres.databaseUrl,
        keys,
        log: log.child({ component: "gateway" }),
        publicUrl,
        anonymousSignIns: options.anonymousSignIns ?? false,
      },
      options.host,
      options.port,
    );
    mark("gateway");

    const env: TStackEnvFile = {
      SUPABASE_URL: publicUrl,
      SUPABASE_ANON_KEY: keys.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
      SUPABASE_JWT_SECRET: secret,
      DATABASE_URL: postgres.databaseUrl,
      PROVIDER_KEY_ENCRYPTION_KEY: providerKeyEncryptionKey,
    };
    if (options.envFile !== undefined && options.envFile !== false) {
      await writeEnvFile(env, options.envFile);
    }

    return {
      ...env,
      timings,
      reloadSchema: () => gateway.reloadSchema(),
      stop: () => {
        stopping ??= (async () => {
          await gateway.close();
          await Promise.all(pools.map((p) => p.end()));
          await postgres.stop();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await Promise.all(pools.map((p) => p.end().catch(() => {})));
    await postgres.stop().catch(() => {});
    throw err;
  }
}
