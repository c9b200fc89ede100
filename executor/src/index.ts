// What other packages (bench, scripts) use of the executor: start one in-process, parse its
// environment, and the service-role client it talks to Supabase with.
export { createExecutorClient, type TDb } from "./db/executor-client.ts";
export { parseExecutorEnv, type TExecutorEnv } from "./env.ts";
export { startExecutor, type TExecutor, type TExecutorOverrides } from "./runtime/start-executor.ts";
export { runSchedulerTick, type TSchedulerDeps, type TTickReport } from "./schedule/run-scheduler-tick.ts";
export { fireRuns } from "./schedule/schedule-rpcs.ts";
