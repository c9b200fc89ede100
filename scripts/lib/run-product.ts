import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { startStack, type TStackHandle } from "@mission-control/supabase/stack";
import pino from "pino";
import { derivePortEnv, inheritedEnv, readDevEnv, repoRoot, type TDevEnv } from "../env.ts";
import { createRestartBackoff } from "./restart-backoff.ts";
import { ensureWebBuild, SERVE_DIST_DIR } from "./web-build.ts";

/**
 * The whole product in the foreground, for `pnpm dev` (the dashboard under `next dev`, hot reload)
 * and `scripts/up.sh` / `pnpm start` (a production build, `next start`). The local Supabase stack
 * runs in this process; the executor and the dashboard are child processes given the stack's URLs
 * and keys and the URLs derived from the ports. An executor that exits is started again with
 * back-off while the rest stays up; the dashboard exiting stops everything. Ctrl-C / SIGTERM stops
 * the executor and the dashboard, then the stack.
 */
export interface TRunProductOptions {
  /** `dev`: `next dev`; `production`: `next build` when the sources changed, then `next start`. */
  web: "dev" | "production";
  /** Command-line arguments: `--reset`, `--port N`, `--pg-port N` (as `pnpm stack` takes them). */
  argv: string[];
}

const HELP = `Usage: pnpm dev | pnpm start | bash scripts/up.sh  [--reset] [--port N] [--pg-port N]

Runs the local Supabase stack, the executor and the dashboard in the foreground; Ctrl-C stops all.
pnpm dev serves the dashboard with hot reload (next dev); pnpm start and scripts/up.sh serve a
production build, rebuilt only when the sources changed.

  --reset       wipe the stack's data folder first (all local data is lost)
  --port N      stack gateway port (default 54321, or MC_STACK_PORT)
  --pg-port N   Postgres port (default 54322, or MC_STACK_PG_PORT)

Ports: WEB_PORT (3000), CONTROL_API_PORT (54330). CONTROL_API_URL and WEB_ORIGIN follow from them
unless you set them.
`;

/** Variables the dashboard process never gets: it needs only public values. */
const NOT_FOR_THE_DASHBOARD = /SERVICE_ROLE|JWT_SECRET|ENCRYPTION_KEY|^DATABASE_URL$/;
/** How long the executor and the dashboard get to stop on SIGTERM before they are killed. */
const STOP_GRACE_MS = 20_000;

/** One line of the runner's own output, told apart from what its parts print. */
function say(line: string): void {
  process.stdout.write(`[mission-control] ${line}\n`);
}

/** Resolves once `child` has exited (at once when it already has). */
function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** SIGTERM, then SIGKILL after the grace period; resolves when it has exited. */
async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child) return;
  const exited = exitOf(child);
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Polls `url` until it answers (any HTTP status), or `isStopping()`; false when it never did within `timeoutMs`. */
async function waitForHttp(url: string, timeoutMs: number, isStopping: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !isStopping()) {
    const answered = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(30_000) }).then(
      () => true,
      () => false,
    );
    if (answered) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** Runs the product until Ctrl-C / SIGTERM (or until the dashboard or the stack fails); never returns. */
export async function runProduct(options: TRunProductOptions): Promise<void> {
  const { values: args } = parseArgs({
    args: options.argv,
    options: {
      reset: { type: "boolean", default: false },
      port: { type: "string" },
      "pg-port": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const env: TDevEnv = readDevEnv({
    ...inheritedEnv,
    ...(args.port ? { MC_STACK_PORT: args.port } : {}),
    ...(args["pg-port"] ? { MC_STACK_PG_PORT: args["pg-port"] } : {}),
  });
  const derived = derivePortEnv(env);

  let stopping = false;
  let stack: TStackHandle | undefined;
  let stackStarting: Promise<TStackHandle> | undefined;
  let web: ChildProcess | undefined;
  let executor: ChildProcess | undefined;
  let builder: ChildProcess | undefined;
  let restartTimer: NodeJS.Timeout | undefined;

  const stopAll = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      // The executor releases in-flight work on SIGTERM; the stack goes last so it can still reach it.
      await Promise.all([stopChild(executor), stopChild(web), stopChild(builder)]);
      const started = stack ?? (await stackStarting?.catch(() => undefined));
      await started?.stop().catch((err: Error) => say(`The stack did not stop cleanly: ${err.message}`));
      process.exit(code);
    }
    return new Promise<never>(() => {});
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    // Build before anything starts: a failing build then leaves nothing running.
    if (options.web === "production") {
      await ensureWebBuild({ root: repoRoot, env: inheritedEnv, say, onChild: (child) => (builder = child) });
      builder = undefined;
      if (stopping) return;
    }

    say(`Starting the local Supabase stack on :${env.MC_STACK_PORT} (Postgres :${env.MC_STACK_PG_PORT})…`);
    stackStarting = startStack({
      dataDir: env.MC_STACK_DATA_DIR,
      host: env.MC_STACK_HOST,
      port: env.MC_STACK_PORT,
      pgPort: env.MC_STACK_PG_PORT,
      reset: args.reset,
      envFile: env.MC_ENV_FILE,
      log: pino({ level: env.MC_LOG_LEVEL }),
    });
    stack = await stackStarting;
    if (stopping) return;
    say(
      `Local Supabase stack is ready at ${stack.SUPABASE_URL} (URLs and keys written to ${path.relative(process.cwd(), env.MC_ENV_FILE) || env.MC_ENV_FILE}).`,
    );

    const childBase: NodeJS.ProcessEnv = { ...inheritedEnv, NEXT_TELEMETRY_DISABLED: "1" };
    // Next decides dev or production by the command; an inherited NODE_ENV (a test runner's "test") would confuse it.
    const { NODE_ENV: _inheritedNodeEnv, ...webBase } = childBase;
    const executorEnv: NodeJS.ProcessEnv = {
      ...childBase,
      SUPABASE_URL: stack.SUPABASE_URL,
      SUPABASE_ANON_KEY: stack.SUPABASE_ANON_KEY,
      SUPABASE_SERVICE_ROLE_KEY: stack.SUPABASE_SERVICE_ROLE_KEY,
      SUPABASE_JWT_SECRET: stack.SUPABASE_JWT_SECRET,
      DATABASE_URL: stack.DATABASE_URL,
      // A key exported in the shell wins over the one the stack generated (as `.env.local` did).
      PROVIDER_KEY_ENCRYPTION_KEY: inheritedEnv.PROVIDER_KEY_ENCRYPTION_KEY || stack.PROVIDER_KEY_ENCRYPTION_KEY,
      CONTROL_API_PORT: derived.CONTROL_API_PORT,
      WEB_ORIGIN: derived.WEB_ORIGIN,
    };
    const webEnv: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries({
        ...webBase,
        SUPABASE_URL: stack.SUPABASE_URL,
        SUPABASE_ANON_KEY: stack.SUPABASE_ANON_KEY,
        CONTROL_API_URL: derived.CONTROL_API_URL,
        ...(options.web === "production" ? { MC_WEB_DIST_DIR: SERVE_DIST_DIR } : {}),
      }).filter(([name]) => !NOT_FOR_THE_DASHBOARD.test(name)),
    );

    const backoff = createRestartBackoff();
    const startExecutor = () => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "executor/src/main.ts")], {
        cwd: repoRoot,
        stdio: "inherit",
        env: executorEnv,
      });
      executor = child;
      backoff.started();
      say(`Executor started (pid ${child.pid}); Control API on ${derived.CONTROL_API_URL}, allowing ${derived.WEB_ORIGIN}.`);
      child.on("exit", (code, signal) => {
        if (stopping || executor !== child) return;
        executor = undefined;
        const { delayMs, upMs } = backoff.exited();
        say(
          `The executor exited (${signal ?? `exit code ${code}`}) after ${Math.round(upMs / 1000)} s; restarting it in ${delayMs / 1000} s. ` +
            "The stack and the dashboard stay up; the dashboard shows Backup until it is back.",
        );
        restartTimer = setTimeout(() => {
          restartTimer = undefined;
          if (!stopping) startExecutor();
        }, delayMs);
      });
    };
    startExecutor();

    const webArgs =
      options.web === "production"
        ? ["start", "--port", String(env.WEB_PORT)]
        : // Dev: 127.0.0.1 is allowed as a dev origin in next.config.ts, so both addresses hydrate.
          ["dev", "--port", String(env.WEB_PORT)];
    web = spawn(process.execPath, [path.join(repoRoot, "web/node_modules/next/dist/bin/next"), ...webArgs], {
      cwd: path.join(repoRoot, "web"),
      stdio: "inherit",
      env: webEnv,
    });
    web.on("exit", (code, signal) => {
      if (stopping) return;
      say(`The dashboard exited (${signal ?? `exit code ${code}`}); stopping the rest. Its output above says why.`);
      void stopAll(code || 1);
    });
    say(options.web === "production" ? "Serving the production build (next start)." : "Serving the dashboard with hot reload (next dev).");

    const webUrl = `http://localhost:${env.WEB_PORT}`;
    if (await waitForHttp(`http://127.0.0.1:${env.WEB_PORT}/sign-in`, 180_000, () => stopping)) {
      process.stdout.write(
        [
          "",
          `Mission Control is running: open ${webUrl} (or http://127.0.0.1:${env.WEB_PORT})`,
          "  sign in as operator@example.com / mission-control (local demo account)",
          "  turn on Team Room and DMs in Settings -> Labs, then message an agent",
          "  agents answer with the built-in offline model until you set OPENAI_API_KEY or ANTHROPIC_API_KEY",
          "  Ctrl-C stops everything",
          "",
        ].join("\n"),
      );
    } else if (!stopping) {
      say(`The dashboard has not answered at ${webUrl} within 3 minutes; its output above may say why.`);
    }
  } catch (err) {
    say(`Could not start: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
  }
}
