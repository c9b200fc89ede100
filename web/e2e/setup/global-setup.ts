import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getFreePort, startStack } from "@mission-control/supabase/stack";
import pino from "pino";
import { e2eLogLevel, parentPathAndHome, publishE2eEnv } from "../testing/env.ts";
import { waitForHttp } from "../testing/wait-for-http.ts";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const repoRoot = path.resolve(webDir, "..");

/**
 * Starts a fresh local stack (seeded) on free ports and the built dashboard (`next start`) against
 * it, and hands their URLs and keys to the specs through the environment. The executor is not
 * started here: specs control it with the `executor` fixture. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!fs.existsSync(path.join(webDir, ".next", "BUILD_ID"))) {
    throw new Error("The dashboard is not built: run `pnpm --filter @mission-control/web test:e2e` (it runs `next build` first).");
  }
  const dataDir = path.join(repoRoot, ".local", `e2e-stack-${process.pid}`);
  const stack = await startStack({
    dataDir,
    host: "127.0.0.1",
    port: await getFreePort(),
    pgPort: await getFreePort(),
    reset: true,
    seed: true,
    log: pino({ level: e2eLogLevel }),
  });
  const webPort = await getFreePort();
  const controlApiPort = await getFreePort();
  const baseUrl = `http://127.0.0.1:${webPort}`;

  let web: ChildProcess | undefined;
  try {
    web = spawn(
      process.execPath,
      [path.join(webDir, "node_modules/next/dist/bin/next"), "start", "--port", String(webPort), "--hostname", "127.0.0.1"],
      {
        cwd: webDir,
        env: {
          ...parentPathAndHome,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          SUPABASE_URL: stack.SUPABASE_URL,
          SUPABASE_ANON_KEY: stack.SUPABASE_ANON_KEY,
          CONTROL_API_URL: `http://127.0.0.1:${controlApiPort}`,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const logs: string[] = [];
    web.stdout?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    web.stderr?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    await waitForHttp(`${baseUrl}/sign-in`, "next start").catch((err: Error) => {
      throw new Error(`${err.message}\n${logs.join("")}`);
    });
  } catch (err) {
    web?.kill("SIGKILL");
    await stack.stop();
    throw err;
  }

  publishE2eEnv({
    E2E_BASE_URL: baseUrl,
    E2E_SUPABASE_URL: stack.SUPABASE_URL,
    E2E_SUPABASE_ANON_KEY: stack.SUPABASE_ANON_KEY,
    E2E_SUPABASE_SERVICE_ROLE_KEY: stack.SUPABASE_SERVICE_ROLE_KEY,
    E2E_CONTROL_API_PORT: controlApiPort,
    E2E_REPO_ROOT: repoRoot,
  });

  return async () => {
    const exited = new Promise((resolve) => web?.once("exit", resolve));
    web?.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    web?.kill("SIGKILL");
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
