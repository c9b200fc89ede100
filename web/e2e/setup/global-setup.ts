import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getFreePort, startStack } from "@mission-control/supabase/stack";
import pino from "pino";
import { startDashboardProcess, type TDashboardProcess } from "../testing/dashboard-process.ts";
import { e2eLogLevel, publishE2eEnv } from "../testing/env.ts";

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
  const controlApiPort = await getFreePort();
  let web: TDashboardProcess;
  try {
    web = await startDashboardProcess({
      webDir,
      port: await getFreePort(),
      supabaseUrl: stack.SUPABASE_URL,
      supabaseAnonKey: stack.SUPABASE_ANON_KEY,
      controlApiPort,
    });
  } catch (err) {
    await stack.stop();
    throw err;
  }

  publishE2eEnv({
    E2E_BASE_URL: web.baseUrl,
    E2E_SUPABASE_URL: stack.SUPABASE_URL,
    E2E_SUPABASE_ANON_KEY: stack.SUPABASE_ANON_KEY,
    E2E_SUPABASE_SERVICE_ROLE_KEY: stack.SUPABASE_SERVICE_ROLE_KEY,
    E2E_CONTROL_API_PORT: controlApiPort,
    E2E_REPO_ROOT: repoRoot,
  });

  return async () => {
    await web.stop();
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
