import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { getFreePort, repoRoot } from "@mission-control/supabase/stack";
import { inheritedEnv } from "./lib/env.ts";
import { ms, percentile, table } from "./lib/stats.ts";

const RUNS = 5;

async function ready(url: string): Promise<boolean> {
  try {
    const [auth, rest] = await Promise.all([fetch(`${url}/auth/v1/health`), fetch(`${url}/rest/v1/`, { headers: { apikey: "x" } })]);
    return auth.ok && rest.status < 500;
  } catch {
    return false;
  }
}

/** Spawns `pnpm stack`'s entry as a user would and times it until /auth/v1/health and /rest/v1/ answer. */
async function timeOneStart(dataDir: string): Promise<number> {
  const port = await getFreePort();
  const pgPort = await getFreePort();
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "supabase/local/src/cli/stack.ts")], {
    cwd: repoRoot,
    env: {
      ...inheritedEnv,
      MC_STACK_PORT: String(port),
      MC_STACK_PG_PORT: String(pgPort),
      MC_STACK_DATA_DIR: dataDir,
      MC_LOG_LEVEL: "warn",
    },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the stack exited with code ${child.exitCode} before it was ready`);
      if (await ready(url)) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error("the stack was not ready within 60 s");
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGINT");
    await exited;
  }
}

/** Cold start of the local stack to ready: the first run (creates the cluster) and restarts. */
async function main() {
  const dataDir = path.join(repoRoot, ".local", "bench-cold-start");
  await fs.rm(dataDir, { recursive: true, force: true });
  const first = await timeOneStart(dataDir);
  const restarts: number[] = [];
  for (let i = 0; i < RUNS; i++) restarts.push(await timeOneStart(dataDir));
  await fs.rm(dataDir, { recursive: true, force: true });
  process.stdout.write(
    `\nStack cold start to ready (process spawn -> /auth/v1/health and /rest/v1/ answer)\n${table(
      ["run", "time"],
      [
        ["first run (new cluster, all migrations)", ms(first)],
        [`restart p50 of ${RUNS}`, ms(percentile(restarts, 50))],
        [`restart max of ${RUNS}`, ms(Math.max(...restarts))],
      ],
    )}\ngoal: under 5 s after the first run -> ${Math.max(...restarts) < 5000 ? "met" : "NOT met"}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`stack-cold-start benchmark failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
