import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { getFreePort, repoRoot } from "@mission-control/supabase/stack";
import { parentPathAndHome } from "./env.ts";

const webDir = path.join(repoRoot, "web");
/** The production build `pnpm start` serves (scripts/lib/web-build.ts): the bench measures the same bundles. */
const DIST_DIR = ".next-serve";
const nextBin = path.join(webDir, "node_modules/next/dist/bin/next");

/** Runs `next build` into web/.next-serve (the next `pnpm start` sees a build it did not stamp and builds again). */
export async function buildDashboard(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], {
      cwd: webDir,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...parentPathAndHome, NODE_ENV: "production", MC_WEB_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" },
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with ${code}: its output above says why`))));
  });
}

/** Serves the production build against the bench stack (`next start`); resolves once /sign-in answers. */
export async function serveDashboard(stack: { url: string; anonKey: string }): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const port = await getFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [nextBin, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: webDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...parentPathAndHome,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      MC_WEB_DIST_DIR: DIST_DIR,
      SUPABASE_URL: stack.url,
      SUPABASE_ANON_KEY: stack.anonKey,
      // No executor in this bench: the badge says so, the pages still read and render.
      CONTROL_API_URL: `http://127.0.0.1:${await getFreePort()}`,
    },
  });
  const logs: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  const stop = async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    child.kill("SIGKILL");
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}/sign-in`);
      if (res.ok) return { baseUrl, stop };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer at ${baseUrl}/sign-in (is web/${DIST_DIR} built?):\n${logs.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
