import { readScriptEnv } from "./env.ts";
import { formatChecks, verifyRealtime } from "./verify-realtime/verify-realtime.ts";

/** `pnpm verify:realtime`: proves every registered table is published and delivers events. */
async function main(): Promise<number> {
  const env = readScriptEnv();
  process.stdout.write(`Verifying realtime at ${env.SUPABASE_URL}\n\n`);
  const result = await verifyRealtime({ url: env.SUPABASE_URL, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY });
  process.stdout.write(`${formatChecks(result.checks)}\n\n${result.drift}\n`);
  process.stdout.write(
    result.ok ? "Realtime verified: every registered table delivers events.\n" : "Realtime verification FAILED: see the problems above.\n",
  );
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`verify:realtime could not run: ${err.message}\n`);
    process.exit(2);
  },
);
