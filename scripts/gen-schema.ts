import fs from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "./env.ts";
import { generateSchemaDump, SCHEMA_FILE } from "./gen-schema/generate-schema-dump.ts";
import { withThrowawayStack } from "./gen-schema/with-throwaway-stack.ts";

/** `pnpm gen:schema`: applies the migrations to a throwaway stack and writes supabase/schema.sql. */
async function main() {
  await withThrowawayStack("gen-schema", async (databaseUrl) => {
    await fs.writeFile(SCHEMA_FILE, await generateSchemaDump(databaseUrl));
    process.stdout.write(`Wrote ${path.relative(repoRoot, SCHEMA_FILE)}\n`);
  });
}

main().catch((err: Error) => {
  process.stderr.write(`gen:schema failed: ${err.message}\n`);
  process.exit(1);
});
