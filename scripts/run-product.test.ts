import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createSupabaseClient } from "@mission-control/shared/db";
import { getFreePort } from "@mission-control/supabase/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inheritedEnv, repoRoot } from "./env.ts";

/**
 * `scripts/up.sh` end to end (what it runs: scripts/start.ts): the whole product on ports that are
 * none of the defaults comes up Live (the dashboard points at the executor's port, the executor's
 * CORS allows the dashboard at localhost and 127.0.0.1), keeps the stack and the dashboard up when
 * the executor is killed and brings a new executor up, and stops everything on SIGTERM.
 */
describe("the product runner on non-default ports", () => {
  let runner: ChildProcess;
  let output = "";
  const ports = { stack: 0, pg: 0, controlApi: 0, web: 0 };
  const dataDir = path.join(repoRoot, ".local", `runner-test-${process.pid}`);
  const envFile = path.join(os.tmpdir(), `mc-runner-test-${process.pid}.env`);

  /** Polls `check` until it returns a value (not undefined), or fails with what was printed. */
  async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await check();
      if (value !== undefined) return value;
      if (runner.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${what} did not happen within ${timeoutMs} ms. Runner output:\n${output.slice(-6000)}`);
  }

  const executorPids = () => [...output.matchAll(/Executor started \(pid (\d+)\)/g)].map((m) => Number(m[1]));

  async function health(origin: string): Promise<{ status: number; allowOrigin: string | null; executorId?: string; state?: string }> {
    const res = await fetch(`http://127.0.0.1:${ports.controlApi}/health`, { headers: { origin }, signal: AbortSignal.timeout(5000) });
    const body = (await res.json().catch(() => ({}))) as { executorId?: string; status?: string };
    return {
      status: res.status,
      allowOrigin: res.headers.get("access-control-allow-origin"),
      executorId: body.executorId,
      state: body.status,
    };
  }
  const healthOrNothing = (origin: string) => health(origin).catch(() => undefined);

  beforeAll(async () => {
    ports.stack = await getFreePort();
    ports.pg = await getFreePort();
    ports.controlApi = await getFreePort();
    ports.web = await getFreePort();
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(inheritedEnv).filter(
        ([name]) => !/^(NODE_ENV|VITEST.*|CONTROL_API_URL|CONTROL_API_PUBLIC_URL|WEB_ORIGIN|SUPABASE_.*|DATABASE_URL)$/.test(name),
      ),
    );
    runner = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts/start.ts"), "--reset"], {
      cwd: repoRoot,
      env: {
        ...env,
        MC_STACK_PORT: String(ports.stack),
        MC_STACK_PG_PORT: String(ports.pg),
        MC_STACK_DATA_DIR: dataDir,
        MC_ENV_FILE: envFile,
        MC_LOG_LEVEL: "warn",
        LOG_LEVEL: "warn",
        CONTROL_API_PORT: String(ports.controlApi),
        WEB_PORT: String(ports.web),
        // Presence is announced at start; a short interval makes the heartbeat visible within the test too.
        PRESENCE_INTERVAL_MS: "500",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    runner.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    runner.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    // A first run builds the dashboard (a minute or two on a busy machine); later runs reuse it.
    await waitFor(
      "the runner saying the product is running",
      () => (output.includes("Mission Control is running") ? true : undefined),
      420_000,
    );
  }, 450_000);

  afterAll(async () => {
    if (runner && runner.exitCode === null) {
      runner.kill("SIGKILL");
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(envFile, { force: true });
  }, 60_000);

  it("serves the production build, saying whether it built or reused it", () => {
    expect(output).toMatch(/Building the dashboard \((sources changed|no build yet)\)|Using the cached build/);
    expect(output).toContain("Serving the production build (next start)");
  });

  it("points the dashboard at the executor's port and lets the executor allow the dashboard at both addresses", async () => {
    const page = await fetch(`http://127.0.0.1:${ports.web}/sign-in`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`http://127.0.0.1:${ports.controlApi}`);
    expect(html).not.toContain("127.0.0.1:54330");

    for (const origin of [`http://127.0.0.1:${ports.web}`, `http://localhost:${ports.web}`]) {
      const answer = await waitFor(
        `the Control API answering ok for ${origin}`,
        async () => {
          const h = await healthOrNothing(origin);
          return h?.state === "ok" ? h : undefined;
        },
        30_000,
      );
      expect(answer).toMatchObject({ status: 200, allowOrigin: origin });
      const preflight = await fetch(`http://127.0.0.1:${ports.controlApi}/api/chat/deliver`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      });
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    }
    const stranger = await health("http://localhost:3000");
    expect(stranger.allowOrigin).toBeNull();
  });

  it("restarts a killed executor with back-off while the stack and the dashboard stay up", async () => {
    const stackEnv = Object.fromEntries(
      fs
        .readFileSync(envFile, "utf8")
        .split("\n")
        .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    expect(stackEnv.SUPABASE_URL).toBe(`http://127.0.0.1:${ports.stack}`);
    const admin = createSupabaseClient(stackEnv.SUPABASE_URL ?? "", stackEnv.SUPABASE_SERVICE_ROLE_KEY ?? "", {
      auth: { persistSession: false, autoRefreshToken: false },
    });
    const origin = `http://127.0.0.1:${ports.web}`;
    const first = await health(origin);
    const [firstPid] = executorPids();
    expect(firstPid).toBeGreaterThan(0);
    expect(first.executorId).toBeTruthy();

    process.kill(firstPid ?? 0, "SIGKILL");
    await waitFor(
      "the runner announcing the restart",
      () => (/The executor exited \(SIGKILL\).*restarting it in 1 s/.test(output) ? true : undefined),
      10_000,
    );
    // The dashboard and the stack did not go down with it.
    expect((await fetch(`http://127.0.0.1:${ports.web}/sign-in`)).status).toBe(200);
    expect((await fetch(`${stackEnv.SUPABASE_URL}/auth/v1/health`)).status).toBe(200);

    const second = await waitFor(
      "a new executor answering /health",
      async () => {
        const h = await healthOrNothing(origin);
        return h?.state === "ok" && h.executorId !== first.executorId ? h : undefined;
      },
      60_000,
    );
    expect(second.allowOrigin).toBe(origin);
    expect(executorPids()).toHaveLength(2);
    // Its heartbeat reaches executor_presence, which the dashboard's roster and badge read.
    const beat = await waitFor(
      "the new executor's heartbeat in executor_presence",
      async () => {
        const { data } = await admin
          .from("executor_presence")
          .select("id, started_at, last_seen_at, stopped_at")
          .eq("id", second.executorId ?? "")
          .maybeSingle();
        return data && data.stopped_at === null && data.last_seen_at > data.started_at ? data : undefined;
      },
      30_000,
    );
    expect(beat.id).toBe(second.executorId);
  }, 120_000);

  it("stops everything on SIGTERM and exits 0", async () => {
    const exited = new Promise<number | null>((resolve) => runner.once("exit", (code) => resolve(code)));
    runner.kill("SIGTERM");
    expect(await exited).toBe(0);
    const refused = (url: string) =>
      fetch(url, { signal: AbortSignal.timeout(3000) }).then(
        () => false,
        () => true,
      );
    expect(await refused(`http://127.0.0.1:${ports.web}/sign-in`)).toBe(true);
    expect(await refused(`http://127.0.0.1:${ports.controlApi}/health`)).toBe(true);
    expect(await refused(`http://127.0.0.1:${ports.stack}/auth/v1/health`)).toBe(true);
  }, 90_000);
});
