import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Repository root: the folder that holds `supabase/`, `shared/` and `.local/`. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

const ZStackEnv = z.object({
  MC_STACK_PORT: z.coerce.number().int().min(1).max(65535).default(54321),
  MC_STACK_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54322),
  MC_STACK_DATA_DIR: z.string().min(1).default(path.join(repoRoot, ".local")),
  MC_STACK_HOST: z.string().min(1).default("127.0.0.1"),
  MC_LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /** Anonymous sign-ins on the local auth (config.toml's enable_anonymous_sign_ins); off unless "true". */
  MC_STACK_ANONYMOUS_SIGN_INS: z.enum(["true", "false"]).default("false"),
  /** Postgres loads pg_stat_statements and times functions (profiling); off unless "true". */
  MC_STACK_PG_STATS: z.enum(["true", "false"]).default("false"),
});

/** Settings of the local stack, read once from the environment. */
export type TStackEnv = z.infer<typeof ZStackEnv>;

/**
 * Parses the stack's environment variables, with `overrides` (e.g. from command-line flags) taking
 * precedence; throws naming the variable that is wrong.
 */
export function readStackEnv(overrides: Record<string, string> = {}): TStackEnv {
  const parsed = ZStackEnv.safeParse({ ...process.env, ...overrides });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join(".") ?? "unknown";
    throw new Error(`Invalid environment variable ${name}: ${issue?.message}. Fix it in your shell or .env file.`);
  }
  return parsed.data;
}

/** The environment child processes (the Supabase CLI) inherit; nothing else here reads process.env. */
export const inheritedEnv: NodeJS.ProcessEnv = process.env;
