import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../local/src/config/env.ts";
import { getFreePort } from "../../local/src/stack/get-free-port.ts";
import { startStack } from "../../local/src/stack/start-stack.ts";
import { parentEnv } from "../../testing/env.ts";

const dataDir = path.join(repoRoot, ".local", `test-stack-cli-${process.pid}`);
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

async function spawnStack(port: number, pgPort: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "supabase/local/src/cli/stack.ts")], {
    cwd: repoRoot,
    env: {
      ...parentEnv,
      MC_STACK_PORT: String(port),
      MC_STACK_PG_PORT: String(pgPort),
      MC_STACK_DATA_DIR: dataDir,
      MC_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pnpm stack exited with ${child.exitCode} before it was ready`);
    const ok = await fetch(`http://127.0.0.1:${port}/auth/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    if (Date.now() > deadline) throw new Error("pnpm stack was not ready within 60 s");
    await new Promise((r) => setTimeout(r, 50));
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("pnpm stack", () => {
  it("stops cleanly on Ctrl-C, leaving both ports free", async () => {
    const port = await getFreePort();
    const pgPort = await getFreePort();
    const child = await spawnStack(port, pgPort);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(await portIsFree(port)).toBe(true);
    expect(await portIsFree(pgPort)).toBe(true);
  });

  it("takes over the data folder after the previous stack was killed with SIGKILL", async () => {
    const killed = await spawnStack(await getFreePort(), await getFreePort());
    const exited = new Promise((resolve) => killed.once("exit", resolve));
    killed.kill("SIGKILL");
    await exited;
    const stack = await startStack({
      dataDir,
      host: "127.0.0.1",
      port: await getFreePort(),
      pgPort: await getFreePort(),
      log: pino({ level: "silent" }),
    });
    try {
      const res = await fetch(`${stack.SUPABASE_URL}/rest/v1/projects?select=slug`, {
        headers: { apikey: stack.SUPABASE_SERVICE_ROLE_KEY, authorization: `Bearer ${stack.SUPABASE_SERVICE_ROLE_KEY}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Array<{ slug: string }>).map((p) => p.slug)).toContain("demo");
    } finally {
      await stack.stop();
    }
  });
});
