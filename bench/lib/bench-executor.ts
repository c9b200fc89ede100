import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnBenchChild } from "./spawn-bench-child.ts";

/** An executor running in a child process. */
export interface TBenchExecutorProcess {
  executorId: string;
  controlApiUrl: string;
  /** Graceful stop (the executor's own), then the process exits. */
  stop(): Promise<void>;
}

/**
 * Starts an executor in its own process with exactly these variables (as `parseExecutorEnv` reads
 * them), so its work does not share the event loop of the clients a benchmark measures with: in
 * a deployment the executor, the gateway and the browser are separate processes.
 */
export async function startBenchExecutorProcess(variables: Record<string, string>): Promise<TBenchExecutorProcess> {
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), "serve-bench-executor.ts");
  const { firstLine, stop } = await spawnBenchChild(entry, [JSON.stringify(variables)], `executor ${variables.EXECUTOR_ID ?? ""}`);
  const info = JSON.parse(firstLine) as { executorId: string; controlApiUrl: string };
  return { ...info, stop };
}
