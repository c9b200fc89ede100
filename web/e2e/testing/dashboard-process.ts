import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { parentPathAndHome } from "./env.ts";
import { waitForHttp } from "./wait-for-http.ts";

/** A `next start` of the built dashboard, serving one stack. */
export interface TDashboardProcess {
  readonly baseUrl: string;
  /** SIGTERM, then SIGKILL after 5 s; waits for the exit. */
  stop(): Promise<void>;
}

/** Where the dashboard runs and what it talks to. */
export interface TDashboardProcessOptions {
  webDir: string;
  port: number;
  supabaseUrl: string;
  supabaseAnonKey: string;
  controlApiPort: number;
}

/** Starts the production build (`next start`) and resolves once /sign-in answers; throws with its output if it does not. */
export async function startDashboardProcess(options: TDashboardProcessOptions): Promise<TDashboardProcess> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(options.webDir, "node_modules/next/dist/bin/next"), "start", "--port", String(options.port), "--hostname", "127.0.0.1"],
    {
      cwd: options.webDir,
      env: {
        ...parentPathAndHome,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        SUPABASE_URL: options.supabaseUrl,
        SUPABASE_ANON_KEY: options.supabaseAnonKey,
        CONTROL_API_URL: `http://127.0.0.1:${options.controlApiPort}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    child.kill("SIGKILL");
  };
  const logs: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  try {
    await waitForHttp(`${baseUrl}/sign-in`, "next start");
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${logs.join("")}`);
  }
  return { baseUrl, stop };
}
