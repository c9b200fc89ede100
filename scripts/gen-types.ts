import fs from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "./env.ts";
import { generateSchemaDump, SCHEMA_FILE } from "./gen-schema/generate-schema-dump.ts";
import { withThrowawayStack } from "./gen-schema/with-throwaway-stack.ts";
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from "./gen-types/generate-database-types.ts";

/**
 * `pnpm gen:types`: applies the migrations to a throwaway stack and writes the generated row types
 * into shared and the generated schema (supabase/schema.sql, what `pnpm gen:schema` writes): the
 * one command to run after writing a migration.
 */
async function main() {
  await withThrowawayStack("gen-types", async (databaseUrl) => {
    await fs.writeFile(DATABASE_TYPES_FILE, await generateDatabaseTypes(databaseUrl));
    await fs.writeFile(SCHEMA_FILE, await generateSchemaDump(databaseUrl));
    process.stdout.write(`Wrote ${path.relative(repoRoot, DATABASE_TYPES_FILE)} and ${path.relative(repoRoot, SCHEMA_FILE)}\n`);
  });
}

main().catch((err: Error) => {
  process.stderr.write(`gen:types failed: ${err.message}\n`);
  process.exit(1);
});
