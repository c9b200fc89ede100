import { coerceError } from "@mission-control/shared/errors";
import { createExecutorClient } from "../db/executor-client.ts";
import { readExecutorEnv } from "../env.ts";
import { readProviderKeks } from "./provider-keks.ts";
import { reencryptProviderSecrets } from "./reencrypt-provider-secrets.ts";

/**
 * `pnpm keys:rotate`: re-encrypts every stored provider key under PROVIDER_KEY_ENCRYPTION_KEY,
 * reading the old ones with PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS, and prints the counts. Steps:
 * make a new key (`openssl rand -base64 32`), move the old one to PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS,
 * set the new one as PROVIDER_KEY_ENCRYPTION_KEY, restart the executors, run this, then remove
 * PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS and restart them again. Exits 1 when a key could not be re-encrypted.
 */
async function main() {
  const env = readExecutorEnv();
  const keks = readProviderKeks(env);
  const db = createExecutorClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY, { requestTimeoutMs: env.DB_REQUEST_TIMEOUT_MS });
  const report = await reencryptProviderSecrets(db, { keks });
  const lines = [
    `Provider keys under key-encryption key ${report.kekId}: ${report.total} stored, ${report.rotated} re-encrypted, ${report.alreadyCurrent} already current, ${report.changedMeanwhile} changed meanwhile (left alone), ${report.failed.length} failed.`,
    ...report.failed.map((failure) => `  connection ${failure.connectionId}: ${failure.reason}`),
    report.failed.length === 0
      ? "Done: remove PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS from the executors' environment and restart them."
      : "Set the failed connections' keys again in Settings → Providers (or add the key-encryption key they were made with as PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS and run this again).",
    "",
  ];
  process.stdout.write(lines.join("\n"));
  process.exit(report.failed.length === 0 ? 0 : 1);
}

main().catch((err: unknown) => {
  const error = coerceError(err);
  const advice =
    error.code === "database_unreachable"
      ? " (check that Supabase is running and that SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY point at it; `pnpm stack` writes them to .env.local)"
      : "";
  process.stderr.write(`keys:rotate failed: ${error.message}${advice}\n`);
  process.exit(1);
});
