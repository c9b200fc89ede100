import path from "node:path";
import { fileURLToPath } from "node:url";
import { getFreePort, repoRoot, startStack, type TStackHandle } from "@mission-control/supabase/stack";
import pino from "pino";
import { spawnBenchChild } from "./spawn-bench-child.ts";

/** Starts a fresh stack for one benchmark under `.local/bench-<name>` on free ports, in this process. */
export async function startBenchStack(name: string, options: { pgStats?: boolean } = {}): Promise<TStackHandle> {
  return startStack({
    dataDir: path.join(repoRoot, ".local", `bench-${name}`),
    host: "127.0.0.1",
    port: await getFreePort(),
    pgPort: await getFreePort(),
    reset: true,
    seed: false,
    log: pino({ level: "warn" }),
    pgStats: options.pgStats ?? false,
  });
}

/** Connection facts of a bench stack running in a child process. */
export interface TBenchStackInfo {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  databaseUrl: string;
  jwtSecret: string;
}

/**
 * Starts a bench stack in a child process, so the load a benchmark generates does not share the
 * gateway's event loop (as with a real deployment, where clients are elsewhere).
 */
export async function startBenchStackProcess(
  name: string,
  options: { pgStats?: boolean } = {},
): Promise<{ info: TBenchStackInfo; stop(): Promise<void> }> {
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), "serve-bench-stack.ts");
  const { firstLine, stop } = await spawnBenchChild(entry, [name, ...(options.pgStats ? ["--pg-stats"] : [])], "the bench stack");
  return { info: JSON.parse(firstLine) as TBenchStackInfo, stop };
}

/** A bench stack in its own process, with the same variable names `.env.local` uses. */
export interface TSeparateBenchStack {
  SUPABASE_URL: string;
  SUPABASE_ANON_KEY: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  SUPABASE_JWT_SECRET: string;
  DATABASE_URL: string;
  stop(): Promise<void>;
}

/** `startBenchStackProcess` shaped like a stack handle, for benchmarks that run executors in-process. */
export async function startSeparateBenchStack(name: string, options: { pgStats?: boolean } = {}): Promise<TSeparateBenchStack> {
  const { info, stop } = await startBenchStackProcess(name, options);
  return {
    SUPABASE_URL: info.url,
    SUPABASE_ANON_KEY: info.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: info.serviceRoleKey,
    SUPABASE_JWT_SECRET: info.jwtSecret,
    DATABASE_URL: info.databaseUrl,
    stop,
  };
}
