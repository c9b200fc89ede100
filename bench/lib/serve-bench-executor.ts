import { parseExecutorEnv, startExecutor } from "@mission-control/executor";
import pino from "pino";
import { stopOnStdin } from "./spawn-bench-child.ts";

/**
 * Child-process entry for `startBenchExecutorProcess`: runs an executor with the variables given
 * as one JSON argument (nothing is read from `.env.local`), prints its id and Control API as one
 * JSON line, and stops gracefully when stdin says "stop" or closes.
 */
const variables = JSON.parse(process.argv[2] ?? "{}") as Record<string, string>;
const executor = await startExecutor(parseExecutorEnv(variables), { log: pino({ level: variables.LOG_LEVEL ?? "warn" }) });
process.stdout.write(`${JSON.stringify({ executorId: executor.executorId, controlApiUrl: executor.controlApiUrl })}\n`);
stopOnStdin(async () => {
  await executor.stop();
});
