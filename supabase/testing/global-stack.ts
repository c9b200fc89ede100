import fs from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import type { TestProject } from "vitest/node";
import { repoRoot } from "../local/src/config/env.ts";
import { getFreePort } from "../local/src/stack/get-free-port.ts";
import { startStack } from "../local/src/stack/start-stack.ts";
import { testLogLevel } from "./env.ts";

declare module "vitest" {
  export interface ProvidedContext {
    stack: {
      url: string;
      anonKey: string;
      serviceRoleKey: string;
      jwtSecret: string;
      databaseUrl: string;
    };
  }
}

/**
 * Starts one fresh local stack for the whole test run, on free ports, in its own
 * `.local/test-stack-<pid>` folder (so parallel runs never share a cluster), removed afterwards.
 */
export default async function setup(project: TestProject) {
  const dataDir = path.join(repoRoot, ".local", `test-stack-${process.pid}`);
  const stack = await startStack({
    dataDir,
    host: "127.0.0.1",
    port: await getFreePort(),
    pgPort: await getFreePort(),
    reset: true,
    log: pino({ level: testLogLevel }),
    // On here so the anonymous sign-in tests reach it; the refusal when off is a unit test.
    anonymousSignIns: true,
  });
  project.provide("stack", {
    url: stack.SUPABASE_URL,
    anonKey: stack.SUPABASE_ANON_KEY,
    serviceRoleKey: stack.SUPABASE_SERVICE_ROLE_KEY,
    jwtSecret: stack.SUPABASE_JWT_SECRET,
    databaseUrl: stack.DATABASE_URL,
  });
  return async () => {
    await stack.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}
