import { z } from "zod";

/** What the global setup hands to the specs (through the environment of the worker processes). The e2e harness reads process.env only here. */
const ZE2eEnv = z.object({
  E2E_BASE_URL: z.url(),
  E2E_SUPABASE_URL: z.url(),
  E2E_SUPABASE_ANON_KEY: z.string().min(20),
  E2E_SUPABASE_SERVICE_ROLE_KEY: z.string().min(20),
  E2E_CONTROL_API_PORT: z.coerce.number().int().min(1).max(65535),
  E2E_REPO_ROOT: z.string().min(1),
});

/** The running e2e environment: URLs, keys and ports. */
export type TE2eEnv = z.infer<typeof ZE2eEnv>;

/** Reads the e2e environment; fails with a hint when the specs run without the global setup. */
export function readE2eEnv(): TE2eEnv {
  const parsed = ZE2eEnv.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `The e2e environment is missing (${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}): run the specs through playwright.config.ts, whose global setup starts the stack.`,
    );
  }
  return parsed.data;
}

/** Hands the e2e environment to the spec workers Playwright starts after the global setup. */
export function publishE2eEnv(env: TE2eEnv): void {
  Object.assign(process.env, { ...env, E2E_CONTROL_API_PORT: String(env.E2E_CONTROL_API_PORT) });
}

/** PATH and HOME of the run, for the processes the harness starts (the dashboard, the executor). */
export const parentPathAndHome = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };

/** Log level of the stack the global setup starts: MC_TEST_LOG_LEVEL, default warn. */
export const e2eLogLevel: string = process.env.MC_TEST_LOG_LEVEL ?? "warn";
