import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../local/src/config/env.ts";
import { getFreePort } from "../../local/src/stack/get-free-port.ts";
import { parentEnv } from "../../testing/env.ts";

const dataDir = path.join(repoRoot, ".local", `test-dropped-connections-${process.pid}`);
let child: ChildProcess | undefined;
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGINT");
    await exited;
  }
  await fs.rm(dataDir, { recursive: true, force: true });
});

interface TReady {
  url: string;
  serviceKey: string;
  anonKey: string;
  databaseUrl: string;
}

async function spawnStack(): Promise<{ child: ChildProcess; ready: TReady; stderr: () => string }> {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "run-stack-child.ts")], {
    cwd: repoRoot,
    env: {
      ...parentEnv,
      MC_STACK_PORT: String(await getFreePort()),
      MC_STACK_PG_PORT: String(await getFreePort()),
      MC_STACK_DATA_DIR: dataDir,
      MC_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  proc.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const ready = await new Promise<TReady>((resolve, reject) => {
    let out = "";
    proc.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line) as TReady);
    });
    proc.once("exit", (code) => reject(new Error(`the stack exited with ${code} before it was ready:\n${err}`)));
  });
  return { child: proc, ready, stderr: () => err };
}

describe("gateway and dropped Postgres connections", () => {
  it("stays up and answers REST within 5 s after every backend is terminated, three times under load", async () => {
    const stack = await spawnStack();
    child = stack.child;
    const { url, serviceKey, anonKey, databaseUrl } = stack.ready;
    const service = { apikey: serviceKey, authorization: `Bearer ${serviceKey}` };
    const restOk = () =>
      fetch(`${url}/rest/v1/projects?select=slug`, { headers: service }).then(
        (r) => r.status === 200,
        () => false,
      );
    // Load: REST reads (request transactions) and password sign-ins (auth transactions, slow
    // bcrypt in Postgres), so some connections are checked out when they are killed.
    let loading = true;
    let okAnswers = 0;
    const requests = [
      () => restOk(),
      () =>
        fetch(`${url}/auth/v1/token?grant_type=password`, {
          method: "POST",
          headers: { apikey: anonKey, "content-type": "application/json" },
          body: JSON.stringify({ email: "operator@example.com", password: "mission-control" }),
        }).then(
          (r) => r.status === 200,
          () => false,
        ),
    ];
    const workers = Array.from({ length: 8 }, async (_, i) => {
      while (loading) {
        if (await (requests[i % requests.length] as () => Promise<boolean>)()) okAnswers += 1;
      }
    });

    const superuser = new pg.Client({ connectionString: databaseUrl });
    superuser.on("error", () => {});
    await superuser.connect();
    try {
      for (let round = 1; round <= 3; round += 1) {
        // Wait for the load to be running (answers arriving) before the next kill.
        const before = okAnswers;
        const busyBy = Date.now() + 10_000;
        while (okAnswers < before + 20) {
          expect(Date.now(), `round ${round}: the load never got answers`).toBeLessThan(busyBy);
          await new Promise((r) => setTimeout(r, 20));
        }
        const { rows } = await superuser.query<{ application_name: string }>(
          `select application_name, pg_terminate_backend(pid) from pg_stat_activity
            where pid <> pg_backend_pid() and backend_type in ('client backend', 'walsender')`,
        );
        const killedAt = Date.now();
        expect(rows.map((r) => r.application_name)).toContain("mc-gateway-api");
        let answered = false;
        while (!answered) {
          expect(child.exitCode, `round ${round}: the stack died:\n${stack.stderr()}`).toBeNull();
          expect(Date.now() - killedAt, `round ${round}: REST did not answer within 5 s`).toBeLessThan(5_000);
          answered = await restOk();
        }
      }
      // Let in-flight requests settle: a crash from a late error event would show here.
      loading = false;
      await Promise.all(workers);
      expect(await restOk()).toBe(true);
      expect(child.exitCode, stack.stderr()).toBeNull();
      expect(stack.stderr()).not.toContain("Unhandled 'error' event");
    } finally {
      loading = false;
      await superuser.end().catch(() => {});
    }
  }, 120_000);
});
