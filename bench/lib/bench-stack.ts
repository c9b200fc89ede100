import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { getFreePort, repoRoot, startStack, type TStackHandle } from "@mission-control/supabase/stack";
import pino from "pino";

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
export function startBenchStackProcess(
  name: string,
  options: { pgStats?: boolean } = {},
): Promise<{ info: TBenchStackInfo; stop(): Promise<void> }> {
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), "serve-bench-stack.ts");
  const child = spawn(process.execPath, ["--import", "tsx", entry, name, ...(options.pgStats ? ["--pg-stats"] : [])], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    let first = true;
    lines.on("line", (line) => {
      if (!first) {
        process.stderr.write(`${line}\n`);
        return;
      }
      first = false;
      resolve({
        info: JSON.parse(line) as TBenchStackInfo,
        stop: async () => {
          child.stdin?.write("stop\n");
          await exited;
        },
      });
    });
    child.once("exit", (code) => {
      if (first) reject(new Error(`the bench stack exited early with code ${code}`));
    });
  });
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
