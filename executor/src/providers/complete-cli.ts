import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import { AppError } from "@mission-control/shared/errors";
import { countTokens } from "../context/count-tokens.ts";
import { parseCliCommand } from "./parse-cli-command.ts";
import type { TCliConfig, TCompletionRequest, TCompletionResult } from "./provider-types.ts";
import { renderCliPrompt } from "./render-cli-prompt.ts";

/** How long a program gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** How much of the program's stderr an error message quotes. */
const STDERR_TAIL_CHARS = 2_000;

/** How the program ended, before it is turned into a result or an error. */
type TExit = { code: number | null; signal: NodeJS.Signals | null; spawnError: NodeJS.ErrnoException | null };

/**
 * Runs a CLI agent once: spawns the command line (parsed without a shell) in `config.cwd` with
 * `childEnv`, writes the rendered prompt to its stdin and streams its stdout to `onDelta`. The
 * program runs in its own process group, so a timeout or an abort stops it and everything it
 * started. Output beyond `maxOutputChars` is dropped and a note says so. Errors: `config_invalid`
 * (bad command line, program not found), `provider_timeout`, `provider_bad_response` (non-zero
 * exit with the end of stderr, or no output); an abort rejects with `signal.reason`.
 */
export async function completeCli(
  config: TCliConfig,
  request: TCompletionRequest,
  deps: { childEnv: NodeJS.ProcessEnv },
): Promise<TCompletionResult> {
  const startedAt = performance.now();
  request.signal?.throwIfAborted();
  const [program, ...args] = parseCliCommand(config.command);
  const label = config.name ? `CLI agent ${config.name}` : `CLI agent "${program}"`;
  const prompt = renderCliPrompt(request.messages);
  await fs.mkdir(config.cwd, { recursive: true });

  const child = spawn(program, args, { cwd: config.cwd, env: deps.childEnv, stdio: ["pipe", "pipe", "pipe"], detached: true });
  let text = "";
  let written = 0;
  let stderr = "";
  let stopReason: "timeout" | "abort" | null = null;
  let forceKill: NodeJS.Timeout | undefined;

  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    written += chunk.length;
    const room = config.maxOutputChars - text.length;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.slice(0, room) : chunk;
    text += kept;
    request.onDelta?.(kept);
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  // A program that exits without reading its stdin makes the write fail with EPIPE: its exit code tells the story.
  child.stdin.on("error", () => {});
  child.stdin.end(prompt);

  const stop = (reason: "timeout" | "abort") => {
    if (stopReason) return;
    stopReason = reason;
    killGroup(child, "SIGTERM");
    forceKill = setTimeout(() => killGroup(child, "SIGKILL"), KILL_GRACE_MS);
  };
  const timer = setTimeout(() => stop("timeout"), config.timeoutMs);
  const onAbort = () => stop("abort");
  request.signal?.addEventListener("abort", onAbort, { once: true });

  let exit: TExit;
  try {
    exit = await waitForExit(child);
  } finally {
    clearTimeout(timer);
    clearTimeout(forceKill);
    request.signal?.removeEventListener("abort", onAbort);
  }

  if (stopReason === "abort") throw request.signal?.reason ?? new DOMException("The CLI agent was aborted", "AbortError");
  if (exit.spawnError) throw describeSpawnError(exit.spawnError, program, config.cwd);
  if (stopReason === "timeout") {
    throw new AppError("provider_timeout", {
      message: `${label} did not finish within ${formatSeconds(config.timeoutMs)} and was stopped, with the programs it started: raise its timeout in Settings → Providers or give it a smaller task`,
      details: { provider: "cli", timeoutMs: config.timeoutMs },
    });
  }
  if (exit.code !== 0) {
    const how = exit.code === null ? `was killed by ${exit.signal ?? "a signal"}` : `exited with code ${exit.code}`;
    const tail = stderr.trim() ? `; the end of its error output: "${stderr.trim()}"` : " and wrote nothing on stderr";
    throw new AppError("provider_bad_response", {
      message: `${label} ${how}${tail}. Check the command line in Settings → Providers and that the program runs in the workspace`,
      details: { provider: "cli", exitCode: exit.code, signal: exit.signal },
    });
  }
  if (text.trim() === "") {
    throw new AppError("provider_bad_response", {
      message: `${label} exited successfully but wrote nothing on stdout: make sure the command prints its answer (e.g. \`claude -p\`, not the interactive mode)`,
      details: { provider: "cli" },
    });
  }
  const cut = written > text.length;
  if (cut) {
    const note = `\n\n[Output cut: ${label} wrote ${written.toLocaleString("en-US")} characters; only the first ${text.length.toLocaleString("en-US")} are kept.]`;
    text += note;
    request.onDelta?.(note);
  }
  return {
    text,
    model: request.model,
    provider: "cli",
    usage: { inputTokens: countTokens(prompt), outputTokens: countTokens(text), estimated: true },
    finishReason: cut ? "length" : "stop",
    offline: false,
    latencyMs: Math.round((performance.now() - startedAt) * 100) / 100,
    attempts: 1,
  };
}

/** Resolves when the program has exited and its output streams are closed, or when it could not start. */
function waitForExit(child: ChildProcess): Promise<TExit> {
  return new Promise((resolve) => {
    child.once("error", (err: NodeJS.ErrnoException) => resolve({ code: null, signal: null, spawnError: err }));
    child.once("close", (code, signal) => resolve({ code, signal, spawnError: null }));
  });
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

function describeSpawnError(err: NodeJS.ErrnoException, program: string, cwd: string): AppError {
  if (err.code === "ENOENT") {
    return new AppError("config_invalid", {
      message: `The CLI agent's program "${program}" was not found on the executor's PATH: install it on the executor's machine or write its full path in Settings → Providers`,
      details: { provider: "cli", code: err.code },
    });
  }
  if (err.code === "EACCES") {
    return new AppError("config_invalid", {
      message: `The CLI agent's program "${program}" is not executable by the executor: check its permissions (chmod +x) or run it through its interpreter`,
      details: { provider: "cli", code: err.code },
    });
  }
  return new AppError("config_invalid", {
    message: `The CLI agent's program "${program}" could not be started in ${cwd} (${err.message}): check the command line in Settings → Providers`,
    details: { provider: "cli", code: err.code ?? null },
  });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
