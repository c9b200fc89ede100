import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { BUILTIN_MODEL } from "../providers/complete-builtin.ts";
import { BASE_MODEL_SETTINGS, resolveModelConfig } from "./resolve-model-config.ts";

const KEY = "sk-ant-api03-SECRET-zzzzzzzz";

function configError(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("config_invalid");
    return err as AppError;
  }
  throw new Error("expected config_invalid");
}

describe("resolveModelConfig", () => {
  it("runs on the built-in offline model when nothing is configured", () => {
    const resolved = resolveModelConfig({});
    expect(resolved).toMatchObject({ ...BASE_MODEL_SETTINGS, providerConfig: { kind: "builtin" }, offline: true, fallbackReason: null });
    expect(resolved.sources.temperature).toBe("base");
  });

  it("lets the agent profile override global defaults and the request override both", () => {
    const resolved = resolveModelConfig({
      providers: { openai_compatible: { kind: "openai_compatible", baseUrl: "https://api.openai.com/v1", apiKey: "sk-openai-key-123456" } },
      defaults: { provider: "openai_compatible", model: "gpt-default", temperature: 0.5, maxContextTokens: 16_000, verbosity: "concise" },
      profile: { model: "gpt-agent", temperature: 0.9, systemPrompt: "You are Nova." },
      override: { temperature: 0.1 },
    });
    expect(resolved).toMatchObject({
      provider: "openai_compatible",
      model: "gpt-agent",
      temperature: 0.1,
      maxContextTokens: 16_000,
      maxOutputTokens: 1024,
      systemPrompt: "You are Nova.",
      verbosity: "concise",
      offline: false,
    });
    expect(resolved.providerConfig.kind).toBe("openai_compatible");
    expect(resolved.sources).toMatchObject({
      provider: "defaults",
      model: "profile",
      temperature: "override",
      maxOutputTokens: "base",
      systemPrompt: "profile",
    });
  });

  it("treats null in a layer as not set", () => {
    const resolved = resolveModelConfig({ defaults: { temperature: 0.7 }, profile: { temperature: null, model: null } });
    expect(resolved.temperature).toBe(0.7);
    expect(resolved.sources.temperature).toBe("defaults");
  });

  it("falls back to the built-in model when the chosen provider has no key, and says why", () => {
    const resolved = resolveModelConfig({
      providers: { anthropic: { kind: "anthropic", apiKey: "" } },
      profile: { provider: "anthropic", model: "claude-test" },
    });
    expect(resolved.offline).toBe(true);
    expect(resolved.providerConfig).toEqual({ kind: "builtin" });
    expect(resolved.model).toBe(BUILTIN_MODEL);
    expect(resolved.fallbackReason).toContain('No API key is configured for provider "anthropic"');
  });

  it("falls back to the built-in model when the chosen provider is not configured at all", () => {
    const resolved = resolveModelConfig({ profile: { provider: "openai_compatible", model: "gpt-x" } });
    expect(resolved.offline).toBe(true);
    expect(resolved.fallbackReason).toContain("is not configured");
  });

  it("uses a keyless local server without a key", () => {
    const resolved = resolveModelConfig({
      providers: { ollama: { kind: "openai_compatible", baseUrl: "http://127.0.0.1:11434/v1", keyless: true } },
      profile: { provider: "ollama", model: "llama3.2" },
    });
    expect(resolved.offline).toBe(false);
    expect(resolved.model).toBe("llama3.2");
    expect(resolved.providerConfig).toMatchObject({ kind: "openai_compatible", baseUrl: "http://127.0.0.1:11434/v1" });
  });

  it("applies provider defaults when a key is configured", () => {
    const resolved = resolveModelConfig({
      providers: { anthropic: { kind: "anthropic", apiKey: KEY } },
      profile: { provider: "anthropic", model: "claude-test" },
    });
    expect(resolved.providerConfig).toMatchObject({ kind: "anthropic", baseUrl: "https://api.anthropic.com", version: "2023-06-01" });
    expect(resolved.offline).toBe(false);
  });

  it("names the layer and field of an invalid setting", () => {
    const err = configError(() => resolveModelConfig({ profile: { temperature: 3 } }));
    expect(err.message).toContain("the agent's profile");
    expect(err.message).toContain("temperature");
  });

  it("refuses an output limit as large as the context", () => {
    const err = configError(() => resolveModelConfig({ profile: { maxContextTokens: 1000 }, override: { maxOutputTokens: 1000 } }));
    expect(err.message).toContain("must be smaller than maxContextTokens");
  });

  it("reports a misconfigured provider without echoing its key", () => {
    const err = configError(() =>
      resolveModelConfig({
        providers: { anthropic: { kind: "anthropic", apiKey: KEY, baseUrl: "not a url" } },
        profile: { provider: "anthropic" },
      }),
    );
    expect(err.message).toContain('Provider "anthropic" is misconfigured at baseUrl');
    expect(err.message).not.toContain(KEY);
  });
});
