import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppError } from "@mission-control/shared/errors";
import { DEFAULT_RUN_TEST_ALLOWLIST } from "@mission-control/shared/schemas";
import { z } from "zod";

/** Repository root (executor/src sits two levels below it). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const DEFAULT_WEB_ORIGINS = "http://localhost:3000,http://127.0.0.1:3000";

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));
/** A key-encryption key: 32 random bytes in base64 (standard or URL-safe alphabet). */
const kek = (variable: string) =>
  optionalText.pipe(
    z
      .string()
      .refine((value) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && Buffer.from(value, "base64").length === 32, {
        message: `must be 32 random bytes in base64: make one with \`openssl rand -base64 32\` and set ${variable} to it`,
      })
      .optional(),
  );
const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"])
    .default(fallback ? "true" : "false")
    .transform((value) => value === "true" || value === "1" || value === "yes");

/** The executor's environment, validated. Every field is documented in `.env.example`. */
export const ZExecutorEnv = z.object({
  SUPABASE_URL: z.url({ message: "must be the project's base URL, e.g. http://127.0.0.1:54321 (start `pnpm stack` or export it)" }),
  SUPABASE_SERVICE_ROLE_KEY: z
    .string({ message: "is missing: start `pnpm stack` (it writes .env.local) or export the service role key" })
    .min(20, { message: "is too short to be a service role key: copy it from `pnpm stack` or the Supabase dashboard" }),
  CONTROL_API_PORT: int(54330, 0, 65535),
  CONTROL_API_HOST: z.string().min(1).default("127.0.0.1"),
  /** The URL the dashboard should call; defaults to http://<host>:<port>. */
  CONTROL_API_PUBLIC_URL: z.url().optional(),
  /** Comma-separated origins allowed by CORS. */
  WEB_ORIGIN: z
    .string()
    .default(DEFAULT_WEB_ORIGINS)
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim().replace(/\/+$/, ""))
        .filter(Boolean),
    ),
  EXECUTOR_ID: z.string().min(1).max(100).default(`${os.hostname()}-${process.pid}`.slice(0, 100)),
  WATCHDOG_STUCK_AFTER_MS: int(120_000, 100, 86_400_000),
  WATCHDOG_INTERVAL_MS: int(10_000, 50, 3_600_000),
  POLL_INTERVAL_MS: int(1_000, 10, 60_000),
  /**
   * Deliveries one executor runs at once. A delivery mostly waits on the LLM provider, so this is
   * about how many agents can be answering at the same time, not about CPU; saving replies and
   * claiming more is batched, so a higher number costs fewer round trips per delivery, not more.
   */
  WORKER_CONCURRENCY: int(16, 1, 256),
  REALTIME_WAKEUPS: flag(true),
  PRESENCE_INTERVAL_MS: int(10_000, 100, 3_600_000),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 600_000),
  DELIVERY_RETRY_BASE_MS: int(1_000, 1, 600_000),
  DELIVERY_RETRY_MAX_MS: int(60_000, 1, 3_600_000),
  HISTORY_MESSAGES: int(20, 0, 500),
  DB_REQUEST_TIMEOUT_MS: int(15_000, 100, 600_000),
  /** Approved proposals executed in parallel. */
  APPROVAL_CONCURRENCY: int(4, 1, 64),
  /** Runs (plan / implement / test) worked at once. */
  RUN_CONCURRENCY: int(4, 1, 256),
  /** A run's lease: another executor queues it again when its executor has not renewed it for this long. */
  RUN_LEASE_SECONDS: int(30, 5, 600),
  /** How often the leases of the runs in flight are renewed, which is also how soon a cancel lands without realtime. */
  RUN_HEARTBEAT_MS: int(1_500, 100, 60_000),
  /** How often the scheduler looks for due scheduled jobs (0 turns the scheduler off; scheduled jobs of RUN_PROJECT_IDS only). */
  SCHEDULER_TICK_MS: int(1_000, 0, 3_600_000),
  /** A due time older than this when the scheduler sees it counts as missed (the job's missed_policy decides). */
  SCHEDULER_MISSED_AFTER_SECONDS: int(120, 1, 86_400),
  /** Comma-separated project ids whose runs this executor works; empty means every project. */
  RUN_PROJECT_IDS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  /** A proposal still executing after this is failed as "outcome unknown" (keep it above the longest api_call timeout). */
  APPROVAL_STUCK_AFTER_MS: int(120_000, 100, 86_400_000),
  /** Comma-separated project ids whose approvals this executor runs; empty means every project. */
  APPROVAL_PROJECT_IDS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.uuid({ message: "must be project ids (UUIDs), comma-separated" }))),
  /** file_write actions write only inside this directory (created when missing). */
  WORKSPACE_DIR: z
    .string()
    .min(1)
    .default(path.join(repoRoot, ".local", "workspace"))
    .transform((dir) => path.resolve(repoRoot, dir)),
  /**
   * Programs a project's test command may start (comma-separated names, matched exactly against
   * the command's first word; it runs without a shell in WORKSPACE_DIR).
   */
  RUN_TEST_ALLOWLIST: z
    .string()
    .default(DEFAULT_RUN_TEST_ALLOWLIST.join(","))
    .transform((value) =>
      value
        .split(",")
        .map((program) => program.trim())
        .filter(Boolean),
    ),
  /** Default timeout of an api_call action (its params may set a shorter or longer one, up to 60 s). */
  API_CALL_TIMEOUT_MS: int(10_000, 100, 60_000),
  /** How much of an api_call response body is kept in the execution result. */
  API_CALL_MAX_BODY_CHARS: int(4_000, 0, 100_000),
  /** How often the executor checks every skill's requirements (it also checks at start and on POST /api/skills/:id/check). */
  SKILLS_CHECK_INTERVAL_MS: int(300_000, 1_000, 86_400_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OPENAI_BASE_URL: optionalText.pipe(z.url({ message: "must be an http(s) URL such as https://api.openai.com/v1" }).optional()),
  OPENAI_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalText.pipe(z.url({ message: "must be an http(s) URL such as https://api.anthropic.com" }).optional()),
  ANTHROPIC_API_KEY: optionalText,
  /**
   * Encrypts the provider keys operators store (AES-256-GCM). Optional: without it keys cannot be
   * set and connections with a stored key fall back to the built-in model, saying why.
   */
  PROVIDER_KEY_ENCRYPTION_KEY: kek("PROVIDER_KEY_ENCRYPTION_KEY"),
  /** The key-encryption key before the current one, still accepted for decrypting while `pnpm keys:rotate` runs. */
  PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS: kek("PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS"),
});

const ZExecutorEnvChecked = ZExecutorEnv.superRefine((env, ctx) => {
  if (env.PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS && !env.PROVIDER_KEY_ENCRYPTION_KEY) {
    ctx.addIssue({
      code: "custom",
      path: ["PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS"],
      message:
        "is set but PROVIDER_KEY_ENCRYPTION_KEY is not: set the new key in PROVIDER_KEY_ENCRYPTION_KEY (make one with `openssl rand -base64 32`) and keep the old one here while rotating",
    });
  }
});

/** The executor's configuration, parsed once at start-up and passed down (nothing else reads process.env). */
export type TExecutorEnv = z.infer<typeof ZExecutorEnv>;
/** The executor's configuration as strings, e.g. from process.env or a test. */
export type TExecutorEnvInput = Record<string, string | undefined>;

/**
 * Validates `source` into the executor's configuration. Throws `config_invalid` naming the first
 * variable that is missing or wrong.
 */
export function parseExecutorEnv(source: TExecutorEnvInput): TExecutorEnv {
  const parsed = ZExecutorEnvChecked.safeParse(source);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
  throw new AppError("config_invalid", {
    message: `The executor's environment is invalid: ${issues.join("; ")}`,
    details: { variables: parsed.error.issues.map((issue) => issue.path.join(".")) },
  });
}

/** Variables a child program (a CLI agent) never inherits: they open the database or decrypt stored keys. */
const EXECUTOR_SECRET_VARIABLE = /SERVICE_ROLE|JWT_SECRET|ENCRYPTION_KEY|^DATABASE_URL$/;

/**
 * The environment a CLI agent runs with: the executor's process environment without the variables
 * that would let the program act as the executor (service role key, JWT secret, database URL,
 * key-encryption keys). The program's own settings (PATH, HOME, its API keys) pass through.
 */
export function readChildProcessEnv(source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(source).filter(([name]) => !EXECUTOR_SECRET_VARIABLE.test(name)));
}

/** Reads `KEY=value` lines of a dotenv file; missing file → empty. */
export function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  if (!fs.existsSync(file)) return values;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!match?.[1]) continue;
    values[match[1]] = (match[2] ?? "").trim().replace(/^(['"])(.*)\1$/, "$2");
  }
  return values;
}

/**
 * The executor's configuration from the process environment, falling back to the repository's
 * `.env.local` (written by `pnpm stack`) for variables that are not exported.
 */
export function readExecutorEnv(): TExecutorEnv {
  return parseExecutorEnv({ ...readEnvFile(path.join(repoRoot, ".env.local")), ...process.env });
}
