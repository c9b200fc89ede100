import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { inheritedEnv, repoRoot } from "../config/env.ts";

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** Entry script of the Supabase CLI installed from npm (the `supabase` package); run it with node. */
export function supabaseCliEntry(): string {
  const pkg = require.resolve("supabase/package.json");
  return path.join(path.dirname(pkg), "dist", "supabase.js");
}

/**
 * Applies `supabase/migrations/*.sql` that the database has not seen yet, with the real
 * Supabase CLI (`supabase db push --db-url`), so local and hosted take the same path.
 */
export async function pushMigrations(databaseUrl: string, options: { includeSeed?: boolean } = {}): Promise<string> {
  const args = ["db", "push", "--db-url", databaseUrl, "--yes", "--include-all", "--workdir", repoRoot];
  if (options.includeSeed) args.push("--include-seed");
  try {
    const { stdout, stderr } = await run(process.execPath, [supabaseCliEntry(), ...args], {
      cwd: repoRoot,
      env: { ...inheritedEnv, SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 120_000,
    });
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `Applying migrations with the Supabase CLI failed. Fix the migration it names, then start the stack again.\n${e.stderr ?? ""}${e.stdout ?? ""}`.trim(),
      { cause: err },
    );
  }
}
