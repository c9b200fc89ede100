export { repoRoot } from "../config/env.ts";
export { supabaseCliEntry } from "../postgres/push-migrations.ts";
export { getFreePort } from "./get-free-port.ts";
export { startStack, type TStackHandle, type TStartStackOptions } from "./start-stack.ts";
export type { TStackEnvFile } from "./write-env-file.ts";
