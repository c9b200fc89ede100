import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { encryptProviderKey } from "../keys/encrypt-provider-key.ts";
import { createKek } from "../keys/provider-keks.ts";
import { connectionToProviderConfig, type TConnectionWithSecretInput } from "./connection-to-provider-config.ts";

const kek = createKek(crypto.randomBytes(32).toString("base64"));
const workspaceDir = "/srv/mc/workspace";
const apiKey = "sk-live-abcdefghijklmnop";

function connection(overrides: Partial<TConnectionWithSecretInput> = {}): TConnectionWithSecretInput {
  return {
    id: crypto.randomUUID(),
    name: "OpenRouter",
    kind: "openai_compatible",
    base_url: "https://openrouter.ai/api/v1",
    keyless: false,
    default_model: "openai/gpt-4o-mini",
    cli_command: null,
    cli_timeout_seconds: 300,
    ciphertext: null,
    ...overrides,
  };
}

/** A connection whose stored key is `apiKey`, encrypted for its own id. */
function withKey(overrides: Partial<TConnectionWithSecretInput> = {}): TConnectionWithSecretInput {
  const row = connection(overrides);
  return { ...row, ciphertext: encryptProviderKey(apiKey, { kek, aad: row.id }) };
}

describe("connectionToProviderConfig", () => {
  it("decrypts the key of an OpenAI-compatible connection and keeps its default model", () => {
    const resolved = connectionToProviderConfig(withKey(), { keks: [kek], workspaceDir });
    expect(resolved.reason).toBeNull();
    expect(resolved.defaultModel).toBe("openai/gpt-4o-mini");
    expect(resolved.config).toMatchObject({
      kind: "openai_compatible",
      name: "OpenRouter",
      baseUrl: "https://openrouter.ai/api/v1",
      apiKey,
    });
  });

  it("builds Anthropic with the default base URL when none is set", () => {
    const resolved = connectionToProviderConfig(withKey({ name: "Claude", kind: "anthropic", base_url: null }), {
      keks: [kek],
      workspaceDir,
    });
    expect(resolved.config).toMatchObject({ kind: "anthropic", baseUrl: "https://api.anthropic.com", apiKey });
  });

  it("runs a CLI connection in the workspace with its timeout", () => {
    const resolved = connectionToProviderConfig(
      connection({ name: "Claude Code", kind: "cli", base_url: null, cli_command: "claude -p", cli_timeout_seconds: 90 }),
      { keks: [], workspaceDir },
    );
    expect(resolved.config).toEqual({
      kind: "cli",
      name: "Claude Code",
      command: "claude -p",
      timeoutMs: 90_000,
      cwd: workspaceDir,
      maxOutputChars: 100_000,
    });
  });

  it("uses a keyless local server without a key", () => {
    const resolved = connectionToProviderConfig(connection({ name: "Ollama", base_url: "http://127.0.0.1:11434/v1", keyless: true }), {
      keks: [],
      workspaceDir,
    });
    expect(resolved.config).toMatchObject({ kind: "openai_compatible", keyless: true });
    expect(resolved.config && "apiKey" in resolved.config ? resolved.config.apiKey : undefined).toBeUndefined();
  });

  it("gives a reason, never the key, when the connection cannot be used", () => {
    const noKey = connectionToProviderConfig(connection(), { keks: [kek], workspaceDir });
    expect(noKey).toMatchObject({ config: null, reason: expect.stringMatching(/"OpenRouter" has no API key: set one with "Set key"/) });

    const noKek = connectionToProviderConfig(withKey(), { keks: [], workspaceDir });
    expect(noKek.reason).toMatch(/cannot use\. The executor has no PROVIDER_KEY_ENCRYPTION_KEY/);

    const stolen = withKey();
    const moved = connectionToProviderConfig({ ...stolen, id: crypto.randomUUID() }, { keks: [kek], workspaceDir });
    expect(moved.reason).toMatch(/belongs to another connection/);

    const badUrl = connectionToProviderConfig(withKey({ base_url: "ftp://example.com" }), { keks: [kek], workspaceDir });
    expect(badUrl.reason).toMatch(/misconfigured at baseUrl/);

    const piped = connectionToProviderConfig(connection({ kind: "cli", base_url: null, cli_command: "claude -p | tee log" }), {
      keks: [],
      workspaceDir,
    });
    expect(piped.reason).toMatch(/cannot run: .*shell operator \|/);

    const secretParts = (stolen.ciphertext ?? "").split(".").slice(2);
    for (const resolved of [noKey, noKek, moved, badUrl, piped]) {
      expect(resolved.config).toBeNull();
      expect(resolved.reason).not.toContain(apiKey);
      for (const part of secretParts) expect(resolved.reason).not.toContain(part);
    }
  });
});
