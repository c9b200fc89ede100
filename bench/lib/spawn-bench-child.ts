import { spawn } from "node:child_process";
import readline from "node:readline";

/**
 * Starts a bench helper (`node --import tsx entry ...args`) in its own process, as a deployment
 * would run it, and resolves with the first line it prints (its connection facts) and a `stop`
 * that writes "stop" to its stdin and waits for it to exit. Later lines go to stderr.
 */
export function spawnBenchChild(entry: string, args: string[], what: string): Promise<{ firstLine: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    let first = true;
    lines.on("line", (line) => {
      if (!first) {
        process.stderr.write(`${line}\n`);
        return;
      }
      first = false;
      resolve({
        firstLine: line,
        stop: async () => {
          child.stdin?.write("stop\n");
          await exited;
        },
      });
    });
    child.once("exit", (code) => {
      if (first) reject(new Error(`${what} exited early with code ${code}`));
    });
  });
}

/** In a child started by spawnBenchChild: runs `stop` (then exits) when stdin says "stop" or closes. */
export function stopOnStdin(stop: () => Promise<void>): void {
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stopping failed: ${(err as Error).stack}\n`);
        process.exit(1);
      },
    );
  };
  process.stdin.on("data", (d) => {
    if (d.toString().includes("stop")) once();
  });
  process.stdin.on("end", once);
}
