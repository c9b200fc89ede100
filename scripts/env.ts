import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Repository root (scripts/ sits directly below it). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const ZScriptEnv = z.object({
  SUPABASE_URL: z.url({ message: "SUPABASE_URL must be the project's base URL, e.g. http://127.0.0.1:54321" }),
  SUPABASE_SERVICE_ROLE_KEY: z
    .string()
    .min(20, { message: "SUPABASE_SERVICE_ROLE_KEY is missing: start `pnpm stack` (it writes .env.local) or export it" }),
  SUPABASE_ANON_KEY: z.string().min(20).optional(),
});

/** Connection settings for scripts, parsed once. */
export type TScriptEnv = z.infer<typeof ZScriptEnv>;

/**
 * Reads the Supabase variables from the environment, falling back to `.env.local` (written by
 * `pnpm stack`). Fails naming the variable that is missing or wrong.
 */
export function readScriptEnv(): TScriptEnv {
  const envFile = path.join(repoRoot, ".env.local");
  const fromFile: Record<string, string> = {};
  if (fs.existsSync(envFile)) {
    for (const line of fs.readFileSync(envFile, "utf8").split("\n")) {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (match?.[1]) fromFile[match[1]] = match[2] ?? "";
    }
  }
  const parsed = ZScriptEnv.safeParse({ ...fromFile, ...process.env });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
}

const ZDevEnv = z.object({
  MC_STACK_PORT: z.coerce.number().int().min(1).max(65535).default(54321),
  WEB_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

/** Ports `pnpm dev` waits on and serves the dashboard at; fails naming the variable that is wrong. */
export function readDevEnv(): z.infer<typeof ZDevEnv> {
  const parsed = ZDevEnv.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The environment child processes inherit (the stack, executor and dashboard read their own env.ts). */
export const inheritedEnv: NodeJS.ProcessEnv = process.env;
