import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import { AppError } from "@mission-control/shared/errors";
import { parse } from "shell-quote";
import { readChildProcessEnv } from "../env.ts";

/** How a test command ended (a run's test_result event carries it). */
export type TTestCommandResult = {
  command: string;
  /** Null when the program was stopped by a signal (a timeout). */
  exitCode: number | null;
  /** Exit code 0 within the timeout. */
  passed: boolean;
  timedOut: boolean;
  durationMs: number;
  /** The last OUTPUT_TAIL_CHARS characters of stdout and stderr, interleaved as they arrived. */
  outputTail: string;
};

/** A `$VARIABLE` the command line asked the shell to expand. */
type TVariable = { variable: string };

/** How much of the output the result keeps (its end: that is where test runners summarise). */
export const OUTPUT_TAIL_CHARS = 20_000;
/** How long the program gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2_000;

/**
 * Runs a project's test command in the workspace: the command line is split like a shell would
 * (quotes, backslashes) but run without one, and only when its program is on `allowlist`
 * (RUN_TEST_ALLOWLIST). The program gets the executor's environment without its secrets
 * (readChildProcessEnv) and runs in its own process group, so a timeout or an abort stops it with
 * everything it started. Output streams to `onOutput` and its tail is kept. A failing test is a
 * result (passed false), not an error; errors: `invalid_input` (empty line, shell syntax, program
 * not found), `forbidden` (not on the allowlist); an abort rejects with `signal.reason`.
 */
export async function runTestCommand(options: {
  command: string;
  cwd: string;
  allowlist: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (chunk: string) => void;
  env?: NodeJS.ProcessEnv;
}): Promise<TTestCommandResult> {
  const startedAt = performance.now();
  options.signal?.throwIfAborted();
  const [program, ...args] = parseTestCommand(options.command);
  if (!options.allowlist.includes(program)) {
    throw new AppError("forbidden", {
      message: `The test command's program "${program}" is not on the executor's allowlist (${options.allowlist.join(", ") || "empty"}): run the tests through one of those (e.g. an npm script), or add "${program}" to RUN_TEST_ALLOWLIST in the executor's environment and restart it`,
      details: { program, allowlist: [...options.allowlist] },
    });
  }
  await fs.mkdir(options.cwd, { recursive: true });

  const child = spawn(program, args, {
    cwd: options.cwd,
    env: options.env ?? readChildProcessEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let tail = "";
  const onChunk = (chunk: string) => {
    tail = (tail + chunk).slice(-OUTPUT_TAIL_CHARS);
    options.onOutput?.(chunk);
  };
  child.stdout?.setEncoding("utf8").on("data", onChunk);
  child.stderr?.setEncoding("utf8").on("data", onChunk);

  let stopReason: "timeout" | "abort" | null = null;
  let forceKill: NodeJS.Timeout | undefined;
  const stop = (reason: "timeout" | "abort") => {
    if (stopReason) return;
    stopReason = reason;
    killGroup(child, "SIGTERM");
    forceKill = setTimeout(() => killGroup(child, "SIGKILL"), KILL_GRACE_MS);
  };
  const timer = setTimeout(() => stop("timeout"), options.timeoutMs);
  const onAbort = () => stop("abort");
  options.signal?.addEventListener("abort", onAbort, { once: true });

  let exit: { code: number | null; spawnError: NodeJS.ErrnoException | null };
  try {
    exit = await new Promise((resolve) => {
      child.once("error", (err: NodeJS.ErrnoException) => resolve({ code: null, spawnError: err }));
      child.once("close", (code) => resolve({ code, spawnError: null }));
    });
  } finally {
    clearTimeout(timer);
    clearTimeout(forceKill);
    options.signal?.removeEventListener("abort", onAbort);
  }
  // Whatever the program started and left behind goes too: a test run leaves nothing running.
  killGroup(child, "SIGKILL");

  if (stopReason === "abort") throw options.signal?.reason ?? new DOMException("The test command was aborted", "AbortError");
  if (exit.spawnError) {
    const why =
      exit.spawnError.code === "ENOENT"
        ? "was not found on the executor's PATH: install it on the executor's machine"
        : `could not be started (${exit.spawnError.message})`;
    throw new AppError("invalid_input", {
      message: `The test command's program "${program}" ${why}, or change the test command in the project's run settings`,
      details: { program, code: exit.spawnError.code ?? null },
    });
  }
  const timedOut = stopReason === "timeout";
  if (timedOut) {
    const note = `\n[Stopped: the test command ran longer than ${Math.round(options.timeoutMs / 1000)} s]`;
    tail = (tail + note).slice(-OUTPUT_TAIL_CHARS);
  }
  return {
    command: options.command,
    exitCode: timedOut ? null : exit.code,
    passed: !timedOut && exit.code === 0,
    timedOut,
    durationMs: Math.round(performance.now() - startedAt),
    outputTail: tail,
  };
}

/**
 * Splits the command line into program and arguments without a shell; pipes, redirects, `&&`,
 * globs, comments and `$VARIABLES` are refused with what to write instead.
 */
function parseTestCommand(command: string): [string, ...string[]] {
  const argv: string[] = [];
  for (const entry of parse(command, (name): TVariable => ({ variable: name }))) {
    if (typeof entry === "string") {
      argv.push(entry);
      continue;
    }
    const what =
      "variable" in entry
        ? `the variable $${entry.variable} (nothing is expanded: write its value)`
        : "comment" in entry
          ? "a # comment"
          : entry.op === "glob"
            ? `the pattern ${entry.pattern}`
            : `the shell operator ${entry.op}`;
    throw new AppError("invalid_input", {
      message: `The test command uses ${what}, but test commands run without a shell: put the steps in a script (e.g. an npm script "test") and run that, e.g. \`npm test\``,
    });
  }
  const [program, ...args] = argv;
  if (!program)
    throw new AppError("invalid_input", { message: "The test command is empty: set one in the project's run settings, e.g. `npm test`" });
  return [program, ...args];
}

/** Signals the program's whole process group (it was spawned detached, so it leads one). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone: nothing left to stop.
  }
}
