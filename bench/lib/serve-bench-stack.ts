import { startBenchStack } from "./bench-stack.ts";
import { stopOnStdin } from "./spawn-bench-child.ts";

/**
 * Child-process entry for `startBenchStackProcess`: runs a bench stack, prints its connection info
 * as one JSON line, and stops when stdin says "stop" or closes.
 */
const name = process.argv[2] ?? "child";
const stack = await startBenchStack(name, { pgStats: process.argv.includes("--pg-stats") });
process.stdout.write(
  `${JSON.stringify({
    url: stack.SUPABASE_URL,
    anonKey: stack.SUPABASE_ANON_KEY,
    serviceRoleKey: stack.SUPABASE_SERVICE_ROLE_KEY,
    databaseUrl: stack.DATABASE_URL,
    jwtSecret: stack.SUPABASE_JWT_SECRET,
  })}\n`,
);
stopOnStdin(() => stack.stop());
