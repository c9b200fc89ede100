import fs from "node:fs/promises";
import { createMigratedDatabase, stackInfo } from "@mission-control/supabase/testing";
import { describe, expect, it } from "vitest";
import { generateSchemaDump, SCHEMA_FILE } from "./generate-schema-dump.ts";

describe("generated schema", () => {
  it("matches what the migrations produce (run `pnpm gen:schema` after changing a migration)", { timeout: 120_000 }, async () => {
    // A database of its own in the test stack's cluster: the shared one also holds other tests' fixture tables.
    const database = await createMigratedDatabase(stackInfo().databaseUrl, `gen_schema_${process.pid}`);
    try {
      const fresh = await generateSchemaDump(database.databaseUrl);
      const committed = await fs.readFile(SCHEMA_FILE, "utf8");
      expect(fresh).toContain("CREATE OR REPLACE FUNCTION public.complete_chat_deliveries(");
      expect(committed, "supabase/schema.sql is stale: run `pnpm gen:schema`").toBe(fresh);
    } finally {
      await database.drop();
    }
  });
});
