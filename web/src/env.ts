import "server-only";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "@mission-control/shared/errors";
import { z } from "zod";

const ZWebEnv = z.object({
  SUPABASE_URL: z.url({ message: "must be the Supabase base URL, e.g. http://127.0.0.1:54321 (run `pnpm stack` or export it)" }),
  SUPABASE_ANON_KEY: z
    .string({ message: "is missing: run `pnpm stack` (it writes .env.local at the repository root) or export the anon key" })
    .min(20, { message: "is too short to be an anon key: copy it from `pnpm stack` or the Supabase dashboard" }),
  CONTROL_API_URL: z
    .url({ message: "must be the executor's Control API URL, e.g. http://127.0.0.1:54330" })
    .default("http://127.0.0.1:54330")
    .transform((url) => url.replace(/\/+$/, "")),
});

/**
 * The dashboard's server-side settings. Only public values live here: the service role key is
 * never read by the web app, so it cannot reach a browser bundle.
 */
export type TWebEnv = z.infer<typeof ZWebEnv>;

/** Reads `KEY=value` lines of a dotenv file; a missing file gives nothing. */
function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  if (!fs.existsSync(file)) return values;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!match?.[1]) continue;
    values[match[1]] = (match[2] ?? "").trim().replace(/^(['"])(.*)\1$/, "$2");
  }
  return values;
}

/** The repository root: the nearest folder above the working directory holding pnpm-workspace.yaml. */
function findRepoRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const PUBLIC_NAMES = ["SUPABASE_URL", "SUPABASE_ANON_KEY", "CONTROL_API_URL"] as const;

let cached: TWebEnv | undefined;

/**
 * The web app's environment, parsed once: exported variables win, the repository root's
 * `.env.local` (written by `pnpm stack`) fills the gaps. Throws `config_invalid` naming the variable.
 */
export function readWebEnv(): TWebEnv {
  if (cached) return cached;
  const root = findRepoRoot(process.cwd());
  const fromFile = root ? readEnvFile(path.join(root, ".env.local")) : {};
  const source: Record<string, string | undefined> = {};
  for (const name of PUBLIC_NAMES) source[name] = process.env[name] || fromFile[name];
  const parsed = ZWebEnv.safeParse(source);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new AppError("config_invalid", { message: `The dashboard's environment is invalid: ${issues.join("; ")}` });
  }
  cached = parsed.data;
  return cached;
}
