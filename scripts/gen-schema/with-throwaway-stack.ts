import fs from "node:fs/promises";
import path from "node:path";
import { getFreePort, startStack } from "@mission-control/supabase/stack";
import pino from "pino";
import { repoRoot } from "../env.ts";

/**
 * Starts a fresh stack (free ports, no seed) in `.local/<name>`, gives `use` its superuser
 * database URL once every migration is applied, then stops it and removes its data.
 */
export async function withThrowawayStack(name: string, use: (databaseUrl: string) => Promise<void>): Promise<void> {
  const dataDir = path.join(repoRoot, ".local", name);
  const stack = await startStack({
    dataDir,
    host: "127.0.0.1",
    port: await getFreePort(),
    pgPort: await getFreePort(),
    reset: true,
    seed: false,
    log: pino({ level: "warn" }),
  });
  try {
    await use(stack.DATABASE_URL);
  } finally {
    await stack.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
