import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { inheritedEnv, readDevEnv, repoRoot } from "./env.ts";

/**
 * `pnpm dev`: the whole product in the foreground. The local Supabase stack starts first; once it
 * answers, the executor (Control API on :54330) and the dashboard (next dev on :3000) start with
 * the values it wrote to `.env.local`. Ctrl-C stops the executor and the dashboard, then the stack.
 * Arguments go to the stack (e.g. `pnpm dev --reset`).
 */
const { MC_STACK_PORT: stackPort, WEB_PORT: webPort } = readDevEnv();
const tsx = ["--import", "tsx"];

interface TPart {
  name: string;
  child: ChildProcess;
}

const parts: TPart[] = [];
let stopping = false;

function start(name: string, args: string[], cwd = repoRoot): TPart {
  const child = spawn(process.execPath, args, { cwd, stdio: "inherit", env: { ...inheritedEnv, NEXT_TELEMETRY_DISABLED: "1" } });
  const part = { name, child };
  parts.push(part);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      process.stderr.write(`\n${name} exited (${signal ?? code}); stopping the rest.\n`);
      void stopAll(code ?? 1);
    }
  });
  return part;
}

async function waitForStack(): Promise<void> {
  const url = `http://127.0.0.1:${stackPort}/auth/v1/health`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (stopping) return;
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The local stack did not answer at ${url} within 2 minutes; see its output above.`);
}

function exitOf(part: TPart): Promise<void> {
  if (part.child.exitCode !== null || part.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => part.child.once("exit", () => resolve()));
}

async function stopAll(code: number): Promise<void> {
  stopping = true;
  // The executor releases in-flight work on SIGTERM; the stack goes last so they can still reach it.
  const [stack, ...apps] = parts;
  await Promise.all(
    apps.map((p) => {
      p.child.kill("SIGTERM");
      return exitOf(p);
    }),
  );
  if (stack) {
    stack.child.kill("SIGINT");
    await exitOf(stack);
  }
  process.exit(code);
}

async function main(): Promise<void> {
  start("stack", [...tsx, path.join(repoRoot, "supabase/local/src/cli/stack.ts"), ...process.argv.slice(2)]);
  await waitForStack();
  if (stopping) return;
  start("executor", [...tsx, path.join(repoRoot, "executor/src/main.ts")]);
  start("web", [path.join(repoRoot, "web/node_modules/next/dist/bin/next"), "dev", "--port", String(webPort)], path.join(repoRoot, "web"));
  process.stdout.write(
    [
      "",
      `Mission Control is starting: open http://localhost:${webPort}`,
      "  sign in as operator@example.com / mission-control (local demo account)",
      "  turn on Team Room and DMs in Settings -> Labs, then message an agent",
      "  agents answer with the built-in offline model until you set OPENAI_API_KEY or ANTHROPIC_API_KEY",
      "",
    ].join("\n"),
  );
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));
main().catch((err: Error) => {
  process.stderr.write(`pnpm dev failed: ${err.message}\n`);
  void stopAll(1);
});
