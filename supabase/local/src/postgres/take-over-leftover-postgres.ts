import fs from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";

/** How long a leftover postmaster gets to finish its fast shutdown. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * Stops a postmaster that still runs on our data folder but is not ours: a stack killed with
 * SIGKILL leaves its Postgres running, and a Postgres restarted by hand (`pg_ctl start`, the
 * `postgres` binary) holds the folder and usually our port. Runs before the port check, so such a
 * leftover is taken over instead of failing with "port already in use"; a port held by anything
 * else stays an error.
 *
 * Why stop it rather than connect to it: it was not started with our settings (wal_level=logical
 * for realtime, replication slots, listen address, no unix socket), it is not our child so the
 * supervisor could not restart it when it dies, and stopping the stack would leave it running.
 * The stop is a fast shutdown (SIGINT, what `pg_ctl stop` does by default): open sessions are
 * ended, committed data is safe. A smart shutdown (SIGTERM) would wait forever for a connected
 * client such as a dashboard's pool.
 */
export async function takeOverLeftoverPostgres(databaseDir: string, log: Logger): Promise<void> {
  const info = await readPostmasterInfo(databaseDir);
  if (info === null || !isAlive(info.pid)) return;
  if (!(await isPostgresProcess(info.pid))) {
    // The pid was reused by another program after a reboot or crash: the pid file is stale and
    // Postgres itself ignores it; signalling that program would be wrong.
    log.info({ pid: info.pid, databaseDir }, "postmaster.pid names a process that is not Postgres; leaving it alone");
    return;
  }
  log.warn(
    { pid: info.pid, port: info.port, databaseDir },
    "a Postgres not started by this stack is running on its data folder (left by a killed stack or restarted by hand); stopping it with a fast shutdown to start the stack's own",
  );
  try {
    process.kill(info.pid, "SIGINT");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return;
    throw new Error(
      `A Postgres (pid ${info.pid}) is running on ${databaseDir} and this process may not stop it (${(err as Error).message}). Stop it as its owner (pg_ctl stop -D ${databaseDir}), then start the stack again.`,
      { cause: err },
    );
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(info.pid)) {
    if (Date.now() > deadline) {
      throw new Error(
        `A Postgres (pid ${info.pid}) is still running on ${databaseDir} ${STOP_TIMEOUT_MS / 1000} s after a fast shutdown was asked. Stop it by hand (kill ${info.pid}, or kill -QUIT ${info.pid} if it hangs), then start the stack again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  log.info({ pid: info.pid }, "the leftover Postgres stopped; starting the stack's own");
}

/** The postmaster's process id and port from `postmaster.pid` (lines 1 and 4), or null when there is none. */
export async function readPostmasterInfo(databaseDir: string): Promise<{ pid: number; port: number | null } | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(databaseDir, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  return Number.isInteger(pid) && pid > 0 ? { pid, port: Number.isInteger(port) ? port : null } : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user (e.g. the postgres user while we are not root).
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether `pid` runs the postgres binary (Linux: /proc; elsewhere assumed, as the pid file says so). */
async function isPostgresProcess(pid: number): Promise<boolean> {
  try {
    const comm = (await fs.readFile(`/proc/${pid}/comm`, "utf8")).trim();
    return comm === "postgres" || comm === "postmaster";
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ENOENT" || !(await exists("/proc/self"));
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
