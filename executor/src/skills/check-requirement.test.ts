import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRequirement, type TRequirementContext } from "./check-requirement.ts";
import { evaluateSkill } from "./evaluate-skill.ts";

let workspace: string;
let bin: string;
let context: TRequirementContext;

beforeAll(async () => {
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-skills-ws-"));
  bin = await fs.mkdtemp(path.join(os.tmpdir(), "mc-skills-bin-"));
  await fs.writeFile(path.join(bin, "fakeprog"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  await fs.writeFile(path.join(bin, "notexec"), "data", { mode: 0o644 });
  await fs.writeFile(path.join(workspace, "config.json"), "{}");
  context = {
    env: { PATH: bin, DEPLOY_TOKEN: "t0k3n", EMPTY: "  " },
    workspaceDir: workspace,
    testAllowlist: ["fakeprog"],
    settings: new Map<string, unknown>([
      ["api_allowlist", { hosts: ["api.example.com"] }],
      ["empty_hosts", { hosts: [] }],
      ["runs", { test_command: "fakeprog --run" }],
      ["other_runs", { test_command: "notexec" }],
    ]),
    usableConnections: new Set(["anthropic"]),
    globalProviders: new Set(),
  };
});
afterAll(async () => {
  await fs.rm(workspace, { recursive: true, force: true });
  await fs.rm(bin, { recursive: true, force: true });
});

describe("checkRequirement", () => {
  it("env: met when the variable is set and not blank", async () => {
    expect(await checkRequirement({ kind: "env", name: "DEPLOY_TOKEN" }, context)).toMatchObject({ ok: true, blocked: false });
    expect(await checkRequirement({ kind: "env", name: "EMPTY" }, context)).toMatchObject({ ok: false, blocked: false });
    const missing = await checkRequirement({ kind: "env", name: "NOPE_TOKEN" }, context);
    expect(missing).toMatchObject({ ok: false, blocked: false });
    expect(missing.reason).toContain("export it");
  });

  it("env: blocked for a malformed name or one of the executor's secrets", async () => {
    expect(await checkRequirement({ kind: "env", name: "1BAD-NAME" }, context)).toMatchObject({ ok: false, blocked: true });
    expect(await checkRequirement({ kind: "env", name: "SUPABASE_SERVICE_ROLE_KEY" }, context)).toMatchObject({ ok: false, blocked: true });
  });

  it("program: met only for an executable file on PATH", async () => {
    const found = await checkRequirement({ kind: "program", name: "fakeprog" }, context);
    expect(found).toMatchObject({ ok: true });
    expect(found.reason).toContain(path.join(bin, "fakeprog"));
    expect(await checkRequirement({ kind: "program", name: "notexec" }, context)).toMatchObject({ ok: false, blocked: false });
    expect(await checkRequirement({ kind: "program", name: "no-such-program" }, context)).toMatchObject({ ok: false, blocked: false });
    expect(await checkRequirement({ kind: "program", name: "/usr/bin/git" }, context)).toMatchObject({ ok: false, blocked: true });
  });

  it("program: reads the program from a setting and checks the allowlist when asked", async () => {
    const fromSetting = { kind: "program" as const, name: "setting:runs.test_command", value: "allowlisted" };
    expect(await checkRequirement(fromSetting, context)).toMatchObject({ ok: true });
    const notAllowed = await checkRequirement(fromSetting, { ...context, testAllowlist: ["pnpm"] });
    expect(notAllowed).toMatchObject({ ok: false, blocked: false });
    expect(notAllowed.reason).toContain("RUN_TEST_ALLOWLIST");
    const unset = await checkRequirement({ kind: "program", name: "setting:nothing.here" }, context);
    expect(unset).toMatchObject({ ok: false, blocked: false });
  });

  it("file: met for a readable path inside the workspace, blocked outside it", async () => {
    expect(await checkRequirement({ kind: "file", name: "." }, context)).toMatchObject({ ok: true });
    expect(await checkRequirement({ kind: "file", name: "config.json" }, context)).toMatchObject({ ok: true });
    expect(await checkRequirement({ kind: "file", name: "missing.txt" }, context)).toMatchObject({ ok: false, blocked: false });
    expect(await checkRequirement({ kind: "file", name: "../outside.txt" }, context)).toMatchObject({ ok: false, blocked: true });
    expect(await checkRequirement({ kind: "file", name: "/etc/passwd" }, context)).toMatchObject({ ok: false, blocked: true });
  });

  it("connection: met by a usable connection of the project or the executor's own key", async () => {
    expect(await checkRequirement({ kind: "connection", name: "anthropic" }, context)).toMatchObject({ ok: true });
    expect(await checkRequirement({ kind: "connection", name: "openai_compatible" }, context)).toMatchObject({ ok: false, blocked: false });
    const global = { ...context, globalProviders: new Set(["openai_compatible"]) };
    expect(await checkRequirement({ kind: "connection", name: "openai_compatible" }, global)).toMatchObject({ ok: true });
    expect(await checkRequirement({ kind: "connection", name: "carrier_pigeon" }, context)).toMatchObject({ ok: false, blocked: true });
  });

  it("setting: met when the key (or key.field) is present and not empty", async () => {
    expect(await checkRequirement({ kind: "setting", name: "api_allowlist.hosts" }, context)).toMatchObject({ ok: true });
    expect(await checkRequirement({ kind: "setting", name: "api_allowlist" }, context)).toMatchObject({ ok: true });
    expect(await checkRequirement({ kind: "setting", name: "empty_hosts.hosts" }, context)).toMatchObject({ ok: false, blocked: false });
    expect(await checkRequirement({ kind: "setting", name: "absent" }, context)).toMatchObject({ ok: false, blocked: false });
    expect(await checkRequirement({ kind: "setting", name: "Not A Key" }, context)).toMatchObject({ ok: false, blocked: true });
  });
});

describe("evaluateSkill", () => {
  it("is ready without requirements or when every one is met", async () => {
    expect(await evaluateSkill([], context)).toEqual({ status: "ready", results: [], reasons: [] });
    expect((await evaluateSkill([{ kind: "env", name: "DEPLOY_TOKEN" }], context)).status).toBe("ready");
  });

  it("needs setup when something an operator can set up is missing, and says what", async () => {
    const verdict = await evaluateSkill(
      [
        { kind: "env", name: "DEPLOY_TOKEN" },
        { kind: "file", name: "missing.txt" },
      ],
      context,
    );
    expect(verdict.status).toBe("needs_setup");
    expect(verdict.reasons).toHaveLength(1);
    expect(verdict.reasons[0]).toContain("missing.txt");
  });

  it("is blocked when a requirement can never be met here, even if others only need setup", async () => {
    const verdict = await evaluateSkill(
      [
        { kind: "env", name: "NOPE_TOKEN" },
        { kind: "file", name: "../../etc/hosts" },
      ],
      context,
    );
    expect(verdict.status).toBe("blocked");
    expect(verdict.reasons).toHaveLength(2);
  });
});
