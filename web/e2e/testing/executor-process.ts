import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createControlApiClient, type TControlApiClient } from "@mission-control/shared/control-api";
import { parentPathAndHome } from "./env.ts";

/** Controls one executor child process (`node --import tsx executor/src/main.ts`). */
export interface TExecutorProcess {
  readonly running: boolean;
  readonly controlApiUrl: string;
  /** Starts it (if not running) and waits until `GET /health` answers with a report that is not down. */
  start(): Promise<void>;
  /** SIGTERM: a graceful stop that releases in-flight work; waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: dies at once, mid-delivery if need be; waits for the exit. */
  kill(): Promise<void>;
  /** What it printed, for failure messages. */
  output(): string;
}

/** Options: where the repository is and the environment the executor runs with. */
export interface TExecutorProcessOptions {
  repoRoot: string;
  controlApiPort: number;
  env: Record<string, string>;
}

/** Creates the controller; nothing runs until `start()`. */
export function createExecutorProcess(options: TExecutorProcessOptions): TExecutorProcess {
  const entry = path.join(options.repoRoot, "executor", "src", "main.ts");
  const controlApiUrl = `http://127.0.0.1:${options.controlApiPort}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> | undefined;
  const logs: string[] = [];

  const waitExit = async (signal: NodeJS.Signals) => {
    if (!child || !exited) return;
    child.kill(signal);
    await exited;
  };

  return {
    get running() {
      return child !== undefined;
    },
    controlApiUrl,
    async start() {
      if (child) return;
      const proc = spawn(process.execPath, ["--import", "tsx", entry], {
        cwd: options.repoRoot,
        env: {
          ...parentPathAndHome,
          ...options.env,
          CONTROL_API_PORT: String(options.controlApiPort),
        } as Record<string, string> as unknown as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = proc;
      exited = new Promise((resolve) =>
        proc.once("exit", () => {
          if (child === proc) child = undefined;
          resolve();
        }),
      );
      proc.stdout?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
      proc.stderr?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
      await waitForControlApi(createControlApiClient({ baseUrl: controlApiUrl, timeoutMs: 2000 }), 30_000).catch((err: Error) => {
        throw new Error(`${err.message}\n--- executor output ---\n${logs.join("")}`);
      });
    },
    stop: () => waitExit("SIGTERM"),
    kill: () => waitExit("SIGKILL"),
    output: () => logs.join(""),
  };
}

/** Polls `GET /health` until the executor answers 200 (not 503: its database is down), or throws after `timeoutMs` saying what it last saw. */
async function waitForControlApi(client: TControlApiClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const { status } = await client.health();
      if (status === 200) return;
      last = `HTTP ${status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the executor's Control API did not answer at ${client.baseUrl}/health within ${timeoutMs} ms (last: ${last})`);
}
