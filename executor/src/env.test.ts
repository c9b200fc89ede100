import crypto from "node:crypto";
import path from "node:path";
import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { parseExecutorEnv, readChildProcessEnv, readEnvFile, repoRoot } from "./env.ts";

const required = { SUPABASE_URL: "http://127.0.0.1:54321", SUPABASE_SERVICE_ROLE_KEY: "x".repeat(40) };

describe("parseExecutorEnv", () => {
  it("applies the documented defaults", () => {
    const env = parseExecutorEnv(required);
    expect(env).toMatchObject({
      CONTROL_API_PORT: 54330,
      CONTROL_API_HOST: "127.0.0.1",
      WEB_ORIGIN: ["http://localhost:3000", "http://127.0.0.1:3000"],
      WATCHDOG_STUCK_AFTER_MS: 120_000,
      WORKER_CONCURRENCY: 16,
      REALTIME_WAKEUPS: true,
      LOG_LEVEL: "info",
    });
    expect(env.EXECUTOR_ID).toMatch(/-\d+$/);
    expect(env.OPENAI_API_KEY).toBeUndefined();
  });

  it("reads the approval settings: workspace under the repository by default, project ids as a list", () => {
    expect(parseExecutorEnv(required)).toMatchObject({
      WORKSPACE_DIR: path.join(repoRoot, ".local", "workspace"),
      APPROVAL_PROJECT_IDS: [],
      APPROVAL_STUCK_AFTER_MS: 120_000,
      API_CALL_TIMEOUT_MS: 10_000,
    });
    const id = "0b7f5a52-3c1e-4a8e-9d43-2f0a3b9c1d11";
    const env = parseExecutorEnv({ ...required, WORKSPACE_DIR: "tmp/ws", APPROVAL_PROJECT_IDS: ` ${id}, ` });
    expect(env.WORKSPACE_DIR).toBe(path.join(repoRoot, "tmp", "ws"));
    expect(env.APPROVAL_PROJECT_IDS).toEqual([id]);
    expect(() => parseExecutorEnv({ ...required, APPROVAL_PROJECT_IDS: "all" })).toThrow(/APPROVAL_PROJECT_IDS/);
  });

  it("names the missing variable", () => {
    expect(() => parseExecutorEnv({ SUPABASE_URL: required.SUPABASE_URL })).toThrow(/SUPABASE_SERVICE_ROLE_KEY is missing/);
    const err = (() => {
      try {
        parseExecutorEnv({});
      } catch (caught) {
        return caught;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("config_invalid");
    expect((err as AppError).details.variables).toEqual(["SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY"]);
  });

  it("parses numbers, flags and origin lists, and treats blank keys as absent", () => {
    const env = parseExecutorEnv({
      ...required,
      CONTROL_API_PORT: "0",
      WORKER_CONCURRENCY: "8",
      REALTIME_WAKEUPS: "false",
      WEB_ORIGIN: "https://mc.example.com/, http://localhost:3001",
      OPENAI_API_KEY: "  ",
    });
    expect(env.CONTROL_API_PORT).toBe(0);
    expect(env.WORKER_CONCURRENCY).toBe(8);
    expect(env.REALTIME_WAKEUPS).toBe(false);
    expect(env.WEB_ORIGIN).toEqual(["https://mc.example.com", "http://localhost:3001"]);
    expect(env.OPENAI_API_KEY).toBeUndefined();
  });

  it("rejects values out of range with the variable's name", () => {
    expect(() => parseExecutorEnv({ ...required, WORKER_CONCURRENCY: "0" })).toThrow(/WORKER_CONCURRENCY/);
    expect(() => parseExecutorEnv({ ...required, OPENAI_BASE_URL: "not a url" })).toThrow(/OPENAI_BASE_URL/);
  });
});

describe("provider key-encryption keys", () => {
  const kek = () => crypto.randomBytes(32).toString("base64");

  it("are optional, and accepted as 32 bytes of base64", () => {
    expect(parseExecutorEnv(required).PROVIDER_KEY_ENCRYPTION_KEY).toBeUndefined();
    const current = kek();
    const previous = kek();
    const env = parseExecutorEnv({
      ...required,
      PROVIDER_KEY_ENCRYPTION_KEY: ` ${current} `,
      PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS: previous,
    });
    expect(env.PROVIDER_KEY_ENCRYPTION_KEY).toBe(current);
    expect(env.PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS).toBe(previous);
  });

  it("refuses a key that is not 32 bytes, naming the variable and how to make one", () => {
    for (const wrong of ["short", crypto.randomBytes(16).toString("base64"), `${kek()}!`]) {
      expect(() => parseExecutorEnv({ ...required, PROVIDER_KEY_ENCRYPTION_KEY: wrong })).toThrow(
        /PROVIDER_KEY_ENCRYPTION_KEY must be 32 random bytes in base64: make one with `openssl rand -base64 32`/,
      );
    }
    expect(() =>
      parseExecutorEnv({ ...required, PROVIDER_KEY_ENCRYPTION_KEY: kek(), PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS: "nope" }),
    ).toThrow(/PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS must be 32 random bytes/);
  });

  it("refuses a previous key without a current one", () => {
    expect(() => parseExecutorEnv({ ...required, PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS: kek() })).toThrow(
      /PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS is set but PROVIDER_KEY_ENCRYPTION_KEY is not/,
    );
  });
});

describe("readChildProcessEnv", () => {
  it("keeps a CLI agent's own variables and drops the ones that would let it act as the executor", () => {
    const env = readChildProcessEnv({
      PATH: "/usr/bin",
      HOME: "/home/mc",
      ANTHROPIC_API_KEY: "sk-ant-own",
      SUPABASE_SERVICE_ROLE_KEY: "service",
      SUPABASE_JWT_SECRET: "jwt",
      DATABASE_URL: "postgres://x",
      PROVIDER_KEY_ENCRYPTION_KEY: "kek",
      PROVIDER_KEY_ENCRYPTION_KEY_PREVIOUS: "old",
    });
    expect(env).toEqual({ PATH: "/usr/bin", HOME: "/home/mc", ANTHROPIC_API_KEY: "sk-ant-own" });
  });
});

describe("readEnvFile", () => {
  it("returns nothing for a missing file", () => {
    expect(readEnvFile("/nonexistent/.env.local")).toEqual({});
  });
});
