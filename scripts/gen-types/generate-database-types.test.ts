import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { stackInfo } from "../../supabase/tests/helpers/stack-clients.ts";
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from "./generate-database-types.ts";

describe("generated database types", () => {
  it("match what the migrations produce (run `pnpm gen:types` after changing a migration)", async () => {
    const fresh = await generateDatabaseTypes(stackInfo().databaseUrl);
    const committed = await fs.readFile(DATABASE_TYPES_FILE, "utf8");
    expect(fresh).toContain("export type Database");
    expect(committed).toBe(fresh);
  });
});
