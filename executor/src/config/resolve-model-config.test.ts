import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { BUILTIN_MODEL } from "../providers/complete-builtin.ts";
import { resolveModelConfig, type TConnectionCandidate, type TConnectionConfig } from "./resolve-model-config.ts";

const KEY = "sk-ant-api03-SECRET-zzzzzzzz";
const CONNECTION_ID = "5b0c7c8e-1f7e-4c59-9d0e-0c1a2b3c4d5e";
const OPENAI = { openai_compatible: { kind: "openai_compatible", baseUrl: "https://api.openai.com/v1", apiKey: "sk-openai-key-123456" } };
const connection: TConnectionCandidate = { id: CONNECTION_ID, name: "Local vLLM", kind: "openai_compatible", default_model: "qwen-7b" };
const toConfig = (): TConnectionConfig => ({ config: { kind: "builtin", name: "stand-in for the connection" } });

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
    const resolved = resolveModelConfig({ agentKey: "lead" });
    expect(resolved).toMatchObject({ providerConfig: { kind: "builtin" }, model: BUILTIN_MODEL, offline: true, fallbackReason: null });
    expect(resolved.effective.sources).toMatchObject({ provider: "built_in", model: "built_in", temperature: "built_in" });
  });

  it("layers project defaults, then the agent profile, then the run's override, and records each value's source", () => {
    const resolved = resolveModelConfig({
      agentKey: "lead",
      providers: OPENAI,
      project: { provider: "openai_compatible", model: "gpt-default", temperature: 0.5, max_context_tokens: 16_000, verbosity: "concise" },
      agent: { provider: null, model: "gpt-agent", temperature: 0.9, max_output_tokens: null },
      run: { temperature: 0.1 },
    });
    expect(resolved.effective.values).toMatchObject({
      provider: "openai_compatible",
      model: "gpt-agent",
      temperature: 0.1,
      max_context_tokens: 16_000,
      max_output_tokens: 1024,
      verbosity: "concise",
    });
    expect(resolved.effective.sources).toEqual({
      provider: "project",
      provider_connection_id: "project",
      model: "agent",
      temperature: "run",
      max_context_tokens: "project",
      max_output_tokens: "built_in",
      verbosity: "project",
    });
    expect(resolved).toMatchObject({ model: "gpt-agent", offline: false, providerConfig: { kind: "openai_compatible" } });
  });

  it("ignores an invalid run override with a note and keeps the other layers", () => {
    const resolved = resolveModelConfig({ agentKey: "lead", agent: { temperature: 0.4 }, run: { temperature: 7 } });
    expect(resolved.effective.values.temperature).toBe(0.4);
    expect(resolved.notes).toEqual(["Ignored this message's settings override: temperature must be between 0 and 2"]);
  });

  it("ignores invalid project defaults with a note instead of stopping every agent", () => {
    const resolved = resolveModelConfig({ agentKey: "lead", project: { verbosity: "chatty" } });
    expect(resolved.effective.values.verbosity).toBe("normal");
    expect(resolved.notes[0]).toMatch(/^Ignored the project's agent defaults \(Settings → Agent defaults\): verbosity /);
  });

  it("names the agent and field of an invalid profile setting", () => {
    const err = configError(() => resolveModelConfig({ agentKey: "lead", agent: { temperature: 3 } }));
    expect(err.message).toBe(
      "Invalid model setting in the profile of agent @lead: temperature must be between 0 and 2. Fix it on the agent's page",
    );
  });

  it("falls back to the built-in model when the chosen provider has no key, and says why", () => {
    const resolved = resolveModelConfig({
      agentKey: "lead",
      providers: { anthropic: { kind: "anthropic", apiKey: "" } },
      agent: { provider: "anthropic", model: "claude-test" },
    });
    expect(resolved).toMatchObject({ offline: true, providerConfig: { kind: "builtin" }, model: BUILTIN_MODEL });
    expect(resolved.fallbackReason).toContain('No API key is configured for provider "anthropic"');
    expect(resolved.effective.values.provider).toBe("anthropic");
  });

  it("falls back to the built-in model when the chosen provider is not configured at all", () => {
    const resolved = resolveModelConfig({ agentKey: "lead", agent: { provider: "openai_compatible", model: "gpt-x" } });
    expect(resolved.offline).toBe(true);
    expect(resolved.fallbackReason).toContain("is not configured");
  });

  it("falls back with a reason when a network provider has no model from any layer", () => {
    const resolved = resolveModelConfig({ agentKey: "lead", providers: OPENAI, agent: { provider: "openai_compatible" } });
    expect(resolved.offline).toBe(true);
    expect(resolved.fallbackReason).toBe(
      'No model is set for agent @lead on provider "openai_compatible", so the built-in offline model answers: pick a model on the agent\'s page or in Settings → Agent defaults',
    );
  });

  it("applies provider defaults when a key is configured", () => {
    const resolved = resolveModelConfig({
      agentKey: "lead",
      providers: { anthropic: { kind: "anthropic", apiKey: KEY } },
      agent: { provider: "anthropic", model: "claude-test" },
    });
    expect(resolved.providerConfig).toMatchObject({ kind: "anthropic", baseUrl: "https://api.anthropic.com", version: "2023-06-01" });
    expect(resolved.offline).toBe(false);
  });

  it("reports a misconfigured environment provider without echoing its key", () => {
    const err = configError(() =>
      resolveModelConfig({
        agentKey: "lead",
        providers: { anthropic: { kind: "anthropic", apiKey: KEY, baseUrl: "not a url" } },
        agent: { provider: "anthropic", model: "claude-test" },
      }),
    );
    expect(err.message).toContain('Provider "anthropic" is misconfigured at baseUrl');
    expect(err.message).not.toContain(KEY);
  });

  it("runs on the agent's connection with the connection's default model when no layer names one", () => {
    const resolved = resolveModelConfig({
      agentKey: "lead",
      agent: { provider: "connection", provider_connection_id: CONNECTION_ID },
      connections: [connection],
      connectionConfig: toConfig,
    });
    expect(resolved).toMatchObject({ connectionId: CONNECTION_ID, model: "qwen-7b", offline: false, fallbackReason: null });
    expect(resolved.providerConfig).toEqual({ kind: "builtin", name: "stand-in for the connection" });
  });

  it("takes the connection from the project defaults when the agent inherits its provider", () => {
    const resolved = resolveModelConfig({
      agentKey: "lead",
      project: { provider: "connection", provider_connection_id: CONNECTION_ID, model: "qwen-14b" },
      agent: { provider: null, provider_connection_id: null },
      connections: [connection],
      connectionConfig: toConfig,
    });
    expect(resolved).toMatchObject({ connectionId: CONNECTION_ID, model: "qwen-14b" });
    expect(resolved.effective.sources.provider_connection_id).toBe("project");
  });

  it("falls back with the connection's own reason when it cannot be used", () => {
    const resolved = resolveModelConfig({
      agentKey: "lead",
      agent: { provider: "connection", provider_connection_id: CONNECTION_ID },
      connections: [connection],
      connectionConfig: () => ({ reason: 'Connection "Local vLLM" has no key yet: set one in Settings → Providers' }),
    });
    expect(resolved).toMatchObject({
      offline: true,
      connectionId: null,
      fallbackReason: 'Connection "Local vLLM" has no key yet: set one in Settings → Providers',
    });
  });

  it("falls back when the agent's connection is gone", () => {
    const resolved = resolveModelConfig({
      agentKey: "lead",
      agent: { provider: "connection", provider_connection_id: CONNECTION_ID },
      connections: [],
      connectionConfig: toConfig,
    });
    expect(resolved.offline).toBe(true);
    expect(resolved.fallbackReason).toMatch(/no longer exists in this project/);
  });
});
