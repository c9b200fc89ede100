import fs from "node:fs/promises";
import path from "node:path";
import { getFreePort, startStack } from "@mission-control/supabase/stack";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../env.ts";
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from "./generate-database-types.ts";

describe("generated database types", () => {
  it("match what the migrations produce (run `pnpm gen:types` after changing a migration)", async () => {
    // A stack of its own: the shared test stack also holds other tests' fixture tables.
    const dataDir = path.join(repoRoot, ".local", `test-gen-types-${process.pid}`);
    const stack = await startStack({
      dataDir,
      host: "127.0.0.1",
      port: await getFreePort(),
      pgPort: await getFreePort(),
      reset: true,
      seed: false,
      log: pino({ level: "silent" }),
    });
    try {
      const fresh = await generateDatabaseTypes(stack.DATABASE_URL);
      const committed = await fs.readFile(DATABASE_TYPES_FILE, "utf8");
      expect(fresh).toContain("export type Database");
      expect(committed).toBe(fresh);
    } finally {
      await stack.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
