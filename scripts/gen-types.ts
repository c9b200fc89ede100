import fs from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { startStack } from "../supabase/local/src/stack/start-stack.ts";
import { getFreePort } from "../supabase/tests/helpers/get-free-port.ts";
import { repoRoot } from "./env.ts";
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from "./gen-types/generate-database-types.ts";

/** `pnpm gen:types`: applies the migrations to a throwaway stack and writes the generated row types into shared. */
async function main() {
  const dataDir = path.join(repoRoot, ".local", "gen-types");
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
    await fs.writeFile(DATABASE_TYPES_FILE, await generateDatabaseTypes(stack.DATABASE_URL));
    process.stdout.write(`Wrote ${path.relative(repoRoot, DATABASE_TYPES_FILE)}\n`);
  } finally {
    await stack.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`gen:types failed: ${err.message}\n`);
  process.exit(1);
});
