import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "@mission-control/shared/errors";
import { quote } from "shell-quote";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readChildProcessEnv } from "../env.ts";
import { waitFor } from "../testing/wait-for.ts";
import { completeCli } from "./complete-cli.ts";
import { createProvider } from "./create-provider.ts";
import { parseCliCommand } from "./parse-cli-command.ts";
import { type TCliConfig, ZCliConfig } from "./provider-types.ts";

/**
 * The CLI agent the tests run: a small node program that reads the prompt on stdin and behaves as
 * its first argument says. Files it coordinates through live in its working directory.
 */
const AGENT_SCRIPT = `
import { spawn } from "node:child_process";
import fs from "node:fs";
const mode = process.argv[2];
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  if (mode === "answer") {
    process.stdout.write("OK from the CLI agent. cwd=" + process.cwd() + " secret=" + (process.env.SUPABASE_SERVICE_ROLE_KEY ?? "none") + "\\n--prompt--\\n" + input);
  } else if (mode === "stream") {
    process.stdout.write("first part;");
    const wait = setInterval(() => {
      if (fs.existsSync("go-on")) { clearInterval(wait); process.stdout.write(" second part."); }
    }, 10);
  } else if (mode === "fail") {
    process.stderr.write("warming up\\nerror: unknown flag --bogus\\n");
    process.exit(3);
  } else if (mode === "huge") {
    const line = "x".repeat(9_999) + "\\n";
    for (let i = 0; i < 30; i++) process.stdout.write(line);
  } else if (mode === "silent") {
    process.exit(0);
  } else if (mode === "hang") {
    const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: ["ignore", "inherit", "inherit"] });
    fs.writeFileSync("pids.tmp", process.pid + " " + grandchild.pid);
    fs.renameSync("pids.tmp", "pids");
    setInterval(() => {}, 1000);
  }
});
`;

let dir: string;
let workspace: string;
let script: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "mc-cli-agent-"));
  script = path.join(dir, "agent.mjs");
  await fs.writeFile(script, AGENT_SCRIPT);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A fresh workspace per test, so coordination files never leak between tests. */
async function cliConfig(mode: string, extra: Partial<TCliConfig> = {}): Promise<TCliConfig> {
  workspace = await fs.mkdtemp(path.join(dir, "ws-"));
  return ZCliConfig.parse({ kind: "cli", command: `${quote([process.execPath, script])} ${mode}`, cwd: workspace, ...extra });
}

const ask = {
  model: "cli",
  messages: [
    { role: "system" as const, content: "You are Lead." },
    { role: "user" as const, content: "Say OK." },
  ],
};
const childEnv = readChildProcessEnv();

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => {
      throw new Error("expected the CLI agent to fail");
    },
    (caught: unknown) => caught,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** True while `pid` runs; a zombie (killed, not yet reaped by its new parent) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // Without /proc (macOS) the signal check is all there is.
  if (!existsSync("/proc/self")) return true;
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return stat !== "" && !/^\d+ \(.*\) Z/.test(stat);
}

describe("completeCli", () => {
  it("writes the rendered prompt to stdin, runs in the workspace and answers with stdout", async () => {
    const config = await cliConfig("answer");
    const result = await completeCli(config, ask, { childEnv });
    expect(result.text).toContain("OK from the CLI agent.");
    expect(result.text).toContain(`cwd=${workspace}`);
    expect(result.text).toContain("You are Lead.");
    expect(result.text).toContain("## User\nSay OK.");
    expect(result).toMatchObject({ provider: "cli", model: "cli", finishReason: "stop", offline: false, attempts: 1 });
    expect(result.usage.estimated).toBe(true);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it("does not hand the executor's secrets to the program by default", async () => {
    vi.stubEnv("SUPABASE_SERVICE_ROLE_KEY", "service-key-in-the-executor");
    try {
      const config = await cliConfig("answer");
      expect((await createProvider(config).complete(ask)).text).toContain("secret=none");
      // The seam works both ways: what the environment holds is what the program sees.
      const leaky = await completeCli(config, ask, { childEnv: { ...childEnv, SUPABASE_SERVICE_ROLE_KEY: "service-key" } });
      expect(leaky.text).toContain("secret=service-key");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("streams stdout to onDelta as it arrives, the pieces adding up to the answer", async () => {
    const config = await cliConfig("stream");
    const deltas: string[] = [];
    const result = await completeCli(
      config,
      {
        ...ask,
        onDelta: (piece) => {
          deltas.push(piece);
          // The program writes its second part only after the first one reached us.
          if (deltas.length === 1) void fs.writeFile(path.join(workspace, "go-on"), "");
        },
      },
      { childEnv },
    );
    expect(deltas).toEqual(["first part;", " second part."]);
    expect(result.text).toBe("first part; second part.");
  });

  it("stops a program that runs past its timeout, with the programs it started, and says so", async () => {
    const config = await cliConfig("hang", { timeoutMs: 4_000 });
    const error = await refusal(completeCli(config, ask, { childEnv }));
    expect(error.code).toBe("provider_timeout");
    expect(error.message).toMatch(/did not finish within 4 s and was stopped, with the programs it started: raise its timeout/);
    const pids = (await fs.readFile(path.join(workspace, "pids"), "utf8")).split(" ").map(Number);
    expect(pids).toHaveLength(2);
    await waitFor("the program and its child to be gone", () => pids.every((pid) => !isAlive(pid)));
  });

  it("stops the program and its children when the call is aborted, rejecting with the abort reason", async () => {
    const config = await cliConfig("hang");
    const controller = new AbortController();
    const running = completeCli(config, { ...ask, signal: controller.signal }, { childEnv });
    const pids = await waitFor("the program to start its child", async () => {
      const text = await fs.readFile(path.join(workspace, "pids"), "utf8").catch(() => "");
      return text ? text.split(" ").map(Number) : undefined;
    });
    const reason = new Error("shutting down");
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await waitFor("the program and its child to be gone", () => pids.every((pid) => !isAlive(pid)));
  });

  it("reports a non-zero exit with its code and the end of stderr", async () => {
    const config = await cliConfig("fail");
    const error = await refusal(completeCli(config, ask, { childEnv }));
    expect(error.code).toBe("provider_bad_response");
    expect(error.message).toMatch(/exited with code 3; the end of its error output: "warming up\nerror: unknown flag --bogus"/);
    expect(error.details).toMatchObject({ exitCode: 3 });
  });

  it("cuts a huge output to maxOutputChars and adds a note saying how much was written", async () => {
    const config = await cliConfig("huge", { maxOutputChars: 1_000 });
    const deltas: string[] = [];
    const result = await completeCli(config, { ...ask, onDelta: (piece) => deltas.push(piece) }, { childEnv });
    expect(result.text.startsWith("x".repeat(1_000))).toBe(true);
    expect(result.text).toMatch(/\n\n\[Output cut: CLI agent ".*node.*" wrote 300,000 characters; only the first 1,000 are kept\.\]$/);
    expect(result.finishReason).toBe("length");
    expect(deltas.join("")).toBe(result.text);
  });

  it("refuses an empty answer, a missing program and shell syntax with what to do", async () => {
    const silent = await refusal(completeCli(await cliConfig("silent"), ask, { childEnv }));
    expect(silent.message).toMatch(/wrote nothing on stdout: make sure the command prints its answer/);
    const missing = await refusal(completeCli(await cliConfig("x", { command: "mc-no-such-program --flag" }), ask, { childEnv }));
    expect(missing.code).toBe("config_invalid");
    expect(missing.message).toMatch(/"mc-no-such-program" was not found on the executor's PATH/);
    const piped = await refusal(completeCli(await cliConfig("x", { command: "claude -p | tee out.txt" }), ask, { childEnv }));
    expect(piped.message).toMatch(/uses the shell operator \|, but CLI agents run without a shell/);
  });
});

describe("parseCliCommand", () => {
  it("splits quoted arguments like a shell and refuses what only a shell would do", () => {
    expect(parseCliCommand(`claude -p --append-system-prompt "be brief" 'it''s'`)).toEqual([
      "claude",
      "-p",
      "--append-system-prompt",
      "be brief",
      "its",
    ]);
    expect(parseCliCommand(`codex exec '$HOME'`)).toEqual(["codex", "exec", "$HOME"]);
    expect(() => parseCliCommand("codex exec $HOME")).toThrow(/the variable \$HOME/);
    expect(() => parseCliCommand("run *.ts")).toThrow(/the pattern \*\.ts/);
    expect(() => parseCliCommand("a > out")).toThrow(/the shell operator >/);
    expect(() => parseCliCommand("a && b")).toThrow(/the shell operator &&/);
    expect(() => parseCliCommand("a # note")).toThrow(/a # comment/);
    expect(() => parseCliCommand("   ")).toThrow(/command line is empty/);
  });
});
