import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "@mission-control/shared/errors";
import { quote } from "shell-quote";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseExecutorEnv } from "../env.ts";
import { waitFor } from "../testing/wait-for.ts";
import { OUTPUT_TAIL_CHARS, runTestCommand } from "./run-test-command.ts";

/** A stand-in test suite: behaves as its first argument says. Coordination files live in its cwd. */
const SUITE_SCRIPT = `
import { spawn } from "node:child_process";
import fs from "node:fs";
const mode = process.argv[2];
if (mode === "pass") {
  process.stdout.write("3 tests passed in " + process.cwd() + "\\n");
  process.stderr.write("warning: slow test\\n");
} else if (mode === "fail") {
  process.stdout.write("1 test failed: expected 2, got 3\\n");
  process.exit(3);
} else if (mode === "huge") {
  for (let i = 0; i < 3000; i++) process.stdout.write(String(i).padStart(9, "0") + "\\n");
  process.stdout.write("THE END\\n");
} else if (mode === "stream") {
  process.stdout.write("first;");
  const wait = setInterval(() => {
    if (fs.existsSync("go-on")) { clearInterval(wait); process.stdout.write(" second."); }
  }, 10);
} else if (mode === "secret") {
  process.stdout.write("secret=" + (process.env.SUPABASE_SERVICE_ROLE_KEY ?? "none"));
} else if (mode === "hang") {
  const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  fs.writeFileSync("pids.tmp", process.pid + " " + grandchild.pid);
  fs.renameSync("pids.tmp", "pids");
  process.stdout.write("waiting forever\\n");
  setInterval(() => {}, 1000);
}
`;

let dir: string;
let script: string;
const node = process.execPath;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "mc-test-command-"));
  script = path.join(dir, "suite.mjs");
  await fs.writeFile(script, SUITE_SCRIPT);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A fresh workspace per call, so coordination files never leak between tests. */
async function run(mode: string, extra: Partial<Parameters<typeof runTestCommand>[0]> = {}) {
  const cwd = await fs.mkdtemp(path.join(dir, "ws-"));
  return { cwd, result: runTestCommand({ command: quote([node, script, mode]), cwd, allowlist: [node], timeoutMs: 20_000, ...extra }) };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => new Error("expected a refusal"),
    (caught: unknown) => caught,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** True while `pid` runs; a zombie counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync("/proc/self")) return true;
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return stat !== "" && !/^\d+ \(.*\) Z/.test(stat);
}

describe("runTestCommand", () => {
  it("runs the command in the workspace without a shell and reports a pass with the output", async () => {
    const { cwd, result } = await run("pass");
    const outcome = await result;
    expect(outcome).toMatchObject({ command: quote([node, script, "pass"]), exitCode: 0, passed: true, timedOut: false });
    expect(outcome.outputTail).toContain(`3 tests passed in ${cwd}`);
    expect(outcome.outputTail).toContain("warning: slow test");
    expect(outcome.durationMs).toBeGreaterThan(0);
  });

  it("reports a failing suite as a result with its exit code, not as an error", async () => {
    const outcome = await (await run("fail")).result;
    expect(outcome).toMatchObject({ exitCode: 3, passed: false, timedOut: false, outputTail: "1 test failed: expected 2, got 3\n" });
  });

  it("keeps the last 20,000 characters of a long output and streams all of it", async () => {
    const chunks: string[] = [];
    const outcome = await (await run("huge", { onOutput: (chunk) => chunks.push(chunk) })).result;
    expect(outcome.outputTail).toHaveLength(OUTPUT_TAIL_CHARS);
    expect(outcome.outputTail.endsWith("000002999\nTHE END\n")).toBe(true);
    expect(chunks.join("")).toHaveLength(3000 * 10 + "THE END\n".length);
  });

  it("streams output to onOutput as it arrives", async () => {
    let cwd = "";
    const chunks: string[] = [];
    const started = await run("stream", {
      onOutput: (chunk) => {
        chunks.push(chunk);
        // The suite writes its second part only after the first one reached us.
        if (chunks.length === 1) void fs.writeFile(path.join(cwd, "go-on"), "");
      },
    });
    cwd = started.cwd;
    expect((await started.result).outputTail).toBe("first; second.");
    expect(chunks).toEqual(["first;", " second."]);
  });

  it("does not hand the executor's secrets to the command", async () => {
    vi.stubEnv("SUPABASE_SERVICE_ROLE_KEY", "service-key-in-the-executor");
    try {
      expect((await (await run("secret")).result).outputTail).toBe("secret=none");
      // The seam works both ways: what the environment holds is what the command sees.
      const leaky = await (await run("secret", { env: { SUPABASE_SERVICE_ROLE_KEY: "leaked" } })).result;
      expect(leaky.outputTail).toBe("secret=leaked");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("stops a suite that runs past its timeout, with the programs it started, and says so", async () => {
    const { cwd, result } = await run("hang", { timeoutMs: 4_000 });
    const outcome = await result;
    expect(outcome).toMatchObject({ exitCode: null, passed: false, timedOut: true });
    expect(outcome.outputTail).toMatch(/waiting forever\n\n\[Stopped: the test command ran longer than 4 s\]$/);
    const pids = (await fs.readFile(path.join(cwd, "pids"), "utf8")).split(" ").map(Number);
    await waitFor("the suite and its child to be gone", () => pids.every((pid) => !isAlive(pid)));
  });

  it("stops the suite and its children when cancelled, rejecting with the abort reason", async () => {
    const controller = new AbortController();
    const { cwd, result } = await run("hang", { signal: controller.signal });
    const pids = await waitFor("the suite to start its child", async () => {
      const text = await fs.readFile(path.join(cwd, "pids"), "utf8").catch(() => "");
      return text ? text.split(" ").map(Number) : undefined;
    });
    const reason = new Error("run cancelled");
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
    await waitFor("the suite and its child to be gone", () => pids.every((pid) => !isAlive(pid)));
  });

  it("refuses a program that is not on the allowlist, naming the allowlist and how to change it", async () => {
    const allowlist = parseExecutorEnv({
      SUPABASE_URL: "http://127.0.0.1:54321",
      SUPABASE_SERVICE_ROLE_KEY: "x".repeat(40),
    }).RUN_TEST_ALLOWLIST;
    expect(allowlist).toEqual(["npm", "pnpm", "yarn", "npx", "node", "make", "pytest", "cargo", "go", "deno", "bun"]);
    const cwd = await fs.mkdtemp(path.join(dir, "ws-"));
    const error = await refusal(runTestCommand({ command: "rm -rf src", cwd, allowlist, timeoutMs: 1_000 }));
    expect(error.code).toBe("forbidden");
    expect(error.message).toBe(
      'The test command\'s program "rm" is not on the executor\'s allowlist (npm, pnpm, yarn, npx, node, make, pytest, cargo, go, deno, bun): run the tests through one of those (e.g. an npm script), or add "rm" to RUN_TEST_ALLOWLIST in the executor\'s environment and restart it',
    );
    // A path is not the program's name: only what the allowlist names exactly runs.
    expect((await refusal(runTestCommand({ command: "./node_modules/.bin/npm test", cwd, allowlist, timeoutMs: 1_000 }))).code).toBe(
      "forbidden",
    );
    expect(await fs.readdir(cwd)).toEqual([]);
  });

  it("refuses shell syntax, an empty command and a program that is not installed, with what to do", async () => {
    const cwd = await fs.mkdtemp(path.join(dir, "ws-"));
    const allowlist = ["npm", "mc-no-such-program"];
    const piped = await refusal(runTestCommand({ command: "npm test && rm -rf /", cwd, allowlist, timeoutMs: 1_000 }));
    expect(piped).toMatchObject({ code: "invalid_input" });
    expect(piped.message).toMatch(/uses the shell operator &&, but test commands run without a shell: put the steps in a script/);
    expect((await refusal(runTestCommand({ command: "npm test $FILTER", cwd, allowlist, timeoutMs: 1_000 }))).message).toMatch(
      /the variable \$FILTER/,
    );
    expect((await refusal(runTestCommand({ command: "  ", cwd, allowlist, timeoutMs: 1_000 }))).message).toMatch(
      /The test command is empty/,
    );
    const missing = await refusal(runTestCommand({ command: "mc-no-such-program --all", cwd, allowlist, timeoutMs: 1_000 }));
    expect(missing.message).toMatch(/"mc-no-such-program" was not found on the executor's PATH: install it/);
  });
});
