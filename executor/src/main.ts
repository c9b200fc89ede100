import { coerceError } from "@mission-control/shared/errors";
import { readExecutorEnv } from "./env.ts";
import { createLogger } from "./log/create-logger.ts";
import { startExecutor } from "./runtime/start-executor.ts";

/** `pnpm --filter @mission-control/executor start`: runs the executor until SIGTERM or SIGINT. */
async function main() {
  const env = readExecutorEnv();
  const log = createLogger({ level: env.LOG_LEVEL, executorId: env.EXECUTOR_ID });
  const executor = await startExecutor(env, { log });
  process.stdout.write(`Executor ${executor.executorId} ${executor.version}: Control API listening on ${executor.controlApiUrl}\n`);

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log.warn({ signal }, "second signal: exiting now; the watchdog will fail what was in flight");
      process.exit(130);
    }
    log.info({ signal }, "shutting down gracefully");
    executor.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((err: unknown) => {
  const error = coerceError(err);
  process.stderr.write(`executor failed to start: ${error.message}\n`);
  process.exit(1);
});
