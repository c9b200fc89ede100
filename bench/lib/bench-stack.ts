import path from "node:path";
import pino from "pino";
import { repoRoot } from "../../supabase/local/src/config/env.ts";
import { startStack, type TStackHandle } from "../../supabase/local/src/stack/start-stack.ts";
import { getFreePort } from "../../supabase/tests/helpers/get-free-port.ts";

/** Starts a fresh stack for one benchmark under `.local/bench-<name>` on free ports. */
export async function startBenchStack(name: string): Promise<TStackHandle> {
  return startStack({
    dataDir: path.join(repoRoot, ".local", `bench-${name}`),
    host: "127.0.0.1",
    port: await getFreePort(),
    pgPort: await getFreePort(),
    reset: true,
    seed: false,
    log: pino({ level: "warn" }),
  });
}
