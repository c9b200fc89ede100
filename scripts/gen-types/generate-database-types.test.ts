import fs from "node:fs/promises";
import { createMigratedDatabase, stackInfo } from "@mission-control/supabase/testing";
import { describe, expect, it } from "vitest";
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from "./generate-database-types.ts";

describe("generated database types", () => {
  it("match what the migrations produce (run `pnpm gen:types` after changing a migration)", { timeout: 120_000 }, async () => {
    // A database of its own in the test stack's cluster: the shared one also holds other tests' fixture tables.
    const database = await createMigratedDatabase(stackInfo().databaseUrl, `gen_types_${process.pid}`);
    try {
      const fresh = await generateDatabaseTypes(database.databaseUrl);
      const committed = await fs.readFile(DATABASE_TYPES_FILE, "utf8");
      expect(fresh).toContain("export type Database");
      expect(committed, "shared/src/db/database.types.ts is stale: run `pnpm gen:types`").toBe(fresh);
    } finally {
      await database.drop();
    }
  });
});
