import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./env.ts";

/**
 * `pnpm dev`: runs every part of the product in the foreground. Today that is the embedded
 * local Supabase stack; the executor and the web dashboard join this list as they land.
 * Ctrl-C stops all of them.
 */
const PARTS: Array<{ name: string; args: string[] }> = [
  { name: "stack", args: ["--import", "tsx", path.join(repoRoot, "supabase/local/src/cli/stack.ts")] },
];

const children: ChildProcess[] = PARTS.map(({ name, args }) => {
  const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], { cwd: repoRoot, stdio: "inherit" });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${name} exited (${signal ?? code}); stopping the rest.\n`);
      stop(code ?? 1);
    }
  });
  return child;
});

let stopping = false;
function stop(code: number) {
  stopping = true;
  let alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(code);
  for (const child of alive) {
    child.once("exit", () => {
      alive = alive.filter((c) => c !== child);
      if (alive.length === 0) process.exit(code);
    });
    child.kill("SIGINT");
  }
}

process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
