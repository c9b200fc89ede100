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

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const ZDevEnv = z.object({
  MC_STACK_PORT: port(54321),
  MC_STACK_PG_PORT: port(54322),
  MC_STACK_HOST: z.string().min(1).default("127.0.0.1"),
  MC_STACK_DATA_DIR: z.string().min(1).default(path.join(repoRoot, ".local")),
  /** Where the runner writes the stack's URLs and keys for other tools (scripts, `pnpm verify:realtime`). */
  MC_ENV_FILE: z.string().min(1).default(path.join(repoRoot, ".env.local")),
  MC_LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  WEB_PORT: port(3000),
  CONTROL_API_PORT: port(54330),
  CONTROL_API_HOST: z.string().min(1).default("127.0.0.1"),
  CONTROL_API_PUBLIC_URL: optionalText.pipe(z.url({ message: "must be the URL the browser reaches the Control API at" }).optional()),
  CONTROL_API_URL: optionalText.pipe(z.url({ message: "must be the executor's Control API URL, e.g. http://127.0.0.1:54330" }).optional()),
  WEB_ORIGIN: optionalText,
});

/** What `pnpm dev` / `scripts/up.sh` read: the ports of every part, and the URLs set explicitly. */
export type TDevEnv = z.infer<typeof ZDevEnv>;

/** Reads the runner's settings from `source` (default the environment); fails naming the variable that is wrong. */
export function readDevEnv(source: Record<string, string | undefined> = process.env): TDevEnv {
  const parsed = ZDevEnv.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join(".")} ${issue?.message}: fix it in your shell (see .env.example).`);
  }
  return parsed.data;
}

/** The variables that follow from the ports, as the executor and the dashboard read them. */
export interface TPortDerivedEnv {
  CONTROL_API_PORT: string;
  /** Where the browser calls the executor. */
  CONTROL_API_URL: string;
  /** The origins the executor's CORS allows: the dashboard at localhost and at 127.0.0.1. */
  WEB_ORIGIN: string;
}

/** A listen address is not where a browser connects to: "all interfaces" means this machine. */
function browserHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "[::]") return "127.0.0.1";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/**
 * Derives the URLs that depend on the ports, so that one changed port (CONTROL_API_PORT, WEB_PORT)
 * is enough: before this, the dashboard kept calling :54330 and the executor kept allowing only
 * :3000, and the product came up in Backup. A value set explicitly always wins.
 */
export function derivePortEnv(env: TDevEnv): TPortDerivedEnv {
  const controlApiUrl =
    env.CONTROL_API_URL ?? env.CONTROL_API_PUBLIC_URL ?? `http://${browserHost(env.CONTROL_API_HOST)}:${env.CONTROL_API_PORT}`;
  return {
    CONTROL_API_PORT: String(env.CONTROL_API_PORT),
    CONTROL_API_URL: controlApiUrl.replace(/\/+$/, ""),
    WEB_ORIGIN: env.WEB_ORIGIN ?? `http://localhost:${env.WEB_PORT},http://127.0.0.1:${env.WEB_PORT}`,
  };
}

/** The environment child processes inherit (the stack, executor and dashboard read their own env.ts). */
export const inheritedEnv: NodeJS.ProcessEnv = process.env;
