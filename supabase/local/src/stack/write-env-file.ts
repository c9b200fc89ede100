import fs from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../config/env.ts";

/** The variables every app reads to reach Supabase, local or hosted. */
export interface TStackEnvFile {
  SUPABASE_URL: string;
  SUPABASE_ANON_KEY: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  SUPABASE_JWT_SECRET: string;
  DATABASE_URL: string;
  /** The executor's key-encryption key for stored provider keys (generated once into the data folder). */
  PROVIDER_KEY_ENCRYPTION_KEY: string;
}

/** Writes `.env.local` at the repository root (or `file`) with the stack's URLs and keys. */
export async function writeEnvFile(values: TStackEnvFile, file = path.join(repoRoot, ".env.local")): Promise<string> {
  const lines = [
    "# Written by `pnpm stack` for the embedded local Supabase stack. Do not commit.",
    "# To use a hosted project instead, put its values here (see README.md).",
    ...Object.entries(values).map(([name, value]) => `${name}=${value}`),
    "",
  ];
  await fs.writeFile(file, lines.join("\n"), { mode: 0o600 });
  return file;
}
