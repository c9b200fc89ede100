import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { createProvider } from "./create-provider.ts";

describe("createProvider", () => {
  it("builds the built-in provider, which answers offline", async () => {
    const provider = createProvider({ kind: "builtin" });
    const result = await provider.complete({ model: "x", messages: [{ role: "user", content: "ping" }] });
    expect(provider.kind).toBe("builtin");
    expect(result.offline).toBe(true);
    await provider.close();
  });

  it("rejects an invalid configuration with config_invalid naming the field and not the key", () => {
    const attempt = () => createProvider({ kind: "anthropic", apiKey: "sk-ant-SECRET-123456", baseUrl: "ftp://example.com" });
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (err) {
      expect((err as AppError).code).toBe("config_invalid");
      expect((err as AppError).message).toContain("baseUrl");
      expect((err as AppError).message).not.toContain("SECRET");
    }
  });

  it("builds network providers that can be closed twice", async () => {
    const provider = createProvider({ kind: "openai_compatible", baseUrl: "http://127.0.0.1:11434/v1", keyless: true });
    expect(provider.kind).toBe("openai_compatible");
    await provider.close();
    await expect(provider.close()).resolves.toBeUndefined();
    await expect(provider.complete({ model: "m", messages: [] })).rejects.toThrow("was closed");
    await expect(provider.completeWithTools?.({ model: "m", messages: [], tools: [] })).rejects.toThrow("was closed");
  });

  it("gives every kind but the CLI agent tool calls", async () => {
    const kinds = [
      createProvider({ kind: "builtin" }),
      createProvider({ kind: "openai_compatible", baseUrl: "http://127.0.0.1:11434/v1", keyless: true }),
      createProvider({ kind: "anthropic", apiKey: "sk-ant-test" }),
      createProvider({ kind: "cli", command: "claude -p", cwd: "/tmp" }),
    ];
    expect(kinds.map((provider) => [provider.kind, typeof provider.completeWithTools])).toEqual([
      ["builtin", "function"],
      ["openai_compatible", "function"],
      ["anthropic", "function"],
      ["cli", "undefined"],
    ]);
    await Promise.all(kinds.map((provider) => provider.close()));
  });
});
