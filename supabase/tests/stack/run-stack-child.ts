// A stack in its own process, for tests that must see whether a fault kills the process (an
// unhandled `error` event would only crash a vitest worker if the stack ran in-process).
// Unlike `pnpm stack` it writes no .env.local, so it cannot clobber a developer's running stack.
// Prints one JSON line when ready; stops on SIGINT/SIGTERM with exit code 0.
import pino from "pino";
import { readStackEnv } from "../../local/src/config/env.ts";
import { startStack } from "../../local/src/stack/start-stack.ts";

const env = readStackEnv();
const stack = await startStack({
  dataDir: env.MC_STACK_DATA_DIR,
  host: env.MC_STACK_HOST,
  port: env.MC_STACK_PORT,
  pgPort: env.MC_STACK_PG_PORT,
  log: pino({ level: env.MC_LOG_LEVEL }, pino.destination(2)),
});
process.stdout.write(
  `${JSON.stringify({ url: stack.SUPABASE_URL, serviceKey: stack.SUPABASE_SERVICE_ROLE_KEY, anonKey: stack.SUPABASE_ANON_KEY, databaseUrl: stack.DATABASE_URL })}\n`,
);
const stop = () => {
  stack.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
